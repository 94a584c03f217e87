"""Every email to a customer says where a reply goes (an address naming the case, signed) and
names the case's thread first in References; text messages carry no headers and are unchanged."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from cases.reply_tokens import case_from_references, case_from_reply_address, case_thread_id
from followups import channels
from followups.models import FollowUp
from followups.plans import CUSTOMER_PURPOSES, Purpose
from followups.services import followup_send
from tests.factories import CaseFactory


@pytest.fixture
def case(soho, frontline, customer):
    return CaseFactory(location=soho, customer=customer, created_by=frontline)


def due(case, purpose, channel=FollowUp.Channel.EMAIL):
    return FollowUp.objects.create(
        case=case,
        kind="satisfaction_check" if purpose is Purpose.SATISFACTION_CHECK else "customer_message",
        purpose=purpose.value,
        channel=channel,
        subject="About your visit",
        body="We refunded you.",
        due_at=timezone.now() - timedelta(minutes=1),
    )


@override_settings(AMENDS_REPLY_DOMAIN="replies.example.com")
@pytest.mark.parametrize("purpose", sorted(CUSTOMER_PURPOSES))
def test_every_email_to_a_customer_says_where_a_reply_goes_and_which_thread_it_is(case, purpose):
    followup = due(case, purpose)
    assert followup_send(followup_id=followup.pk)
    [email] = mail.outbox
    [reply_to] = email.reply_to
    assert reply_to.startswith(f"{case.location.name} <reply+") and reply_to.endswith("@replies.example.com>")
    assert case_from_reply_address(reply_to) == case.pk
    assert email.extra_headers["References"] == case_thread_id(case.pk)
    assert case_from_references(email.extra_headers["References"]) == case.pk
    # The follow-up's own id stays, stable across retries.
    assert email.extra_headers["Message-ID"] == f"<followup-{followup.pk}@amends>"
    message = email.message()
    assert message["Reply-To"] == reply_to and message["References"] == case_thread_id(case.pk)


def test_two_cases_have_two_threads_and_two_reply_addresses(soho, frontline):
    first, second = CaseFactory(location=soho, created_by=frontline), CaseFactory(location=soho, created_by=frontline)
    for case in (first, second):
        followup_send(followup_id=due(case, Purpose.REMEDY_MESSAGE).pk)
    assert [case_from_reply_address(email.reply_to[0]) for email in mail.outbox] == [first.pk, second.pk]
    assert len({email.extra_headers["References"] for email in mail.outbox}) == 2


@override_settings(AMENDS_SMS_BACKEND="locmem")
def test_a_text_message_carries_no_reply_headers(case):
    channels.sms_outbox.clear()
    assert followup_send(followup_id=due(case, Purpose.REMEDY_MESSAGE, FollowUp.Channel.SMS).pk)
    [text] = channels.sms_outbox
    assert (text.to, text.reply_to, text.references) == (case.customer.phone, "", "")
    assert not mail.outbox


def test_an_email_to_staff_has_no_customer_reply_address(case):
    followup = FollowUp.objects.create(
        case=case,
        kind=FollowUp.Kind.STAFF_REMINDER,
        purpose=Purpose.MANUAL.value,
        channel=FollowUp.Channel.EMAIL,
        recipient=case.assignee,
        subject="Check the refund",
        due_at=timezone.now(),
    )
    case.assignee.email = "fran@example.com"
    case.assignee.save()
    assert followup_send(followup_id=followup.pk)
    [email] = mail.outbox
    assert email.reply_to == [] and "References" not in email.extra_headers
