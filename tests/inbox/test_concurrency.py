"""The same message delivered twice at the same moment (PostgreSQL, real transactions): both
deliveries return the one entry, and the case gets one timeline entry."""

import pytest

from cases.reply_tokens import reply_token
from inbox.models import InboundMessage
from inbox.services import inbound_mail_receive
from tests.cases.test_concurrency import race
from tests.inbox.mail import load

pytestmark = pytest.mark.django_db(transaction=True)


def test_fault_duplicate_message_racing_itself_makes_one_timeline_entry(postgres, case):
    raw = load("gmail_reply", TOKEN=reply_token(case.pk))
    results, errors = race(lambda: inbound_mail_receive(raw=raw, route="imap"), count=4)
    assert errors == []
    assert len({inbound.pk for inbound in results}) == 1
    assert InboundMessage.objects.count() == 1
    assert case.events.filter(kind="customer.replied").count() == 1


def test_fault_duplicate_new_problem_racing_itself_opens_one_case(postgres, soho):
    soho.inbound_email = "soho-complaints@example.com"
    soho.save()
    results, errors = race(lambda: inbound_mail_receive(raw=load("html_only"), route="webhook"), count=4)
    assert errors == []
    assert len({inbound.case_id for inbound in results}) == 1
    assert soho.cases.count() == 1
