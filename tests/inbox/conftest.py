import pytest

from accounts.roles import Role
from tests.conftest import need
from tests.factories import CaseFactory, staff
from tests.inbox import dovecot as dovecot_module


@pytest.fixture(autouse=True)
def _reply_domain(settings):
    settings.AMENDS_REPLY_DOMAIN = "replies.example.com"
    settings.DEFAULT_FROM_EMAIL = "Amends <amends@example.com>"


@pytest.fixture
def assignee(soho):
    return staff(Role.FRONTLINE, soho, username="ash")


@pytest.fixture
def case(soho, customer, assignee):
    return CaseFactory(location=soho, customer=customer, created_by=assignee, assignee=assignee, state="in_recovery")


@pytest.fixture
def dovecot():
    """A real IMAP server for the test (Debian's dovecot-imapd); skips without it, fails with
    REQUIRE_SERVICES=1."""
    binary = dovecot_module.dovecot_binary()
    need(binary is not None, "needs Dovecot: apt-get install dovecot-imapd")
    imap, process, root = dovecot_module.start(binary)
    yield imap
    dovecot_module.stop(process, root)
