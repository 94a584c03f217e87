import pytest

from accounts.roles import Role
from tests.factories import CaseFactory, staff


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
