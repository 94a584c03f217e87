from datetime import datetime, timedelta
from smtplib import SMTPException
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from core.exceptions import ApplicationError
from core.models import Notification
from followups import services
from followups.models import FollowUp
from followups.plans import Purpose
from followups.states import FollowUpState, claimable
from followups.tasks import followups_dispatch_task
from tests.factories import CaseFactory

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("UTC"))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, True),
        ({"due_at": NOW + timedelta(seconds=1)}, False),
        ({"claimed_until": NOW + timedelta(minutes=1)}, False),
        ({"claimed_until": NOW - timedelta(seconds=1)}, True),  # the lease ran out: its worker died
        ({"attempts": 5}, False),
        ({"state": FollowUpState.SENT}, False),
    ],
)
def test_what_a_worker_may_claim(changes, expected):
    values = {
        "state": FollowUpState.SCHEDULED,
        "due_at": NOW,
        "claimed_until": None,
        "attempts": 0,
        "max_attempts": 5,
        "now": NOW,
        **changes,
    }
    assert claimable(**values) is expected


@pytest.fixture
def case(soho, frontline):
    return CaseFactory(location=soho, created_by=frontline)


def schedule(case, due_at, **changes):
    values = {
        "case": case,
        "kind": FollowUp.Kind.CUSTOMER_MESSAGE,
        "purpose": Purpose.REMEDY_MESSAGE,
        "channel": FollowUp.Channel.EMAIL,
        "subject": "What we did",
        "body": "We refunded you.",
        "due_at": due_at,
        "now": due_at,
    }
    values.update(changes)
    return services.followup_schedule(**values)


def test_only_due_rows_are_claimed_and_each_claim_counts(case):
    due = schedule(case, NOW - timedelta(minutes=1))
    schedule(case, NOW + timedelta(hours=1))
    assert services.followup_claim_due(now=NOW) == [due.pk]
    due.refresh_from_db()
    assert (due.attempts, due.claimed_until) == (1, NOW + services.lease())
    assert services.followup_claim_due(now=NOW) == []  # leased


def test_a_dead_workers_rows_are_claimed_again_after_the_lease(case):
    due = schedule(case, NOW)
    services.followup_claim_due(now=NOW)
    assert services.followup_claim_due(now=NOW + services.lease() + timedelta(seconds=1)) == [due.pk]


def test_a_row_that_keeps_crashing_its_worker_stops_being_claimed(case):
    schedule(case, NOW)
    for attempt in range(5):
        assert services.followup_claim_due(now=NOW + attempt * (services.lease() + timedelta(seconds=1)))
    assert services.followup_claim_due(now=NOW + timedelta(hours=2)) == []


def test_sending_twice_sends_once(case):
    due = schedule(case, NOW)
    assert services.followup_send(followup_id=due.pk, now=NOW) is True
    assert services.followup_send(followup_id=due.pk, now=NOW) is False
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [case.customer.email]
    due.refresh_from_db()
    assert (due.state, due.sent_at) == ("sent", NOW)


def test_an_in_app_reminder_reaches_the_staff_inbox(case, frontline):
    due = schedule(
        case,
        NOW,
        kind=FollowUp.Kind.STAFF_REMINDER,
        purpose=Purpose.MANUAL,
        channel=FollowUp.Channel.IN_APP,
        recipient=frontline,
        subject="Call the customer back as promised",
    )
    services.followup_send(followup_id=due.pk, now=NOW)
    assert Notification.objects.get(user=frontline).text.endswith("Call the customer back as promised")


def test_a_refused_mail_is_retried_with_backoff_then_marked_failed_and_shown_to_managers(case, manager, monkeypatch):
    due = schedule(case, NOW)

    def refuse(*args, **kwargs):
        raise SMTPException("421 try again later")

    monkeypatch.setattr("followups.services.sending.send_email", refuse)
    at = NOW
    for attempt in range(1, due.max_attempts + 1):
        assert services.followup_claim_due(now=at) == [due.pk]
        with pytest.raises(SMTPException):
            services.followup_send(followup_id=due.pk, now=at)
        services.followup_record_failure(followup_id=due.pk, error="421 try again later", now=at)
        due.refresh_from_db()
        if attempt < due.max_attempts:
            # Held back for 1, 2, 4, 8 minutes: not claimed a second before, claimed after.
            assert due.claimed_until == at + timedelta(minutes=2 ** (attempt - 1))
            assert services.followup_claim_due(now=due.claimed_until - timedelta(seconds=1)) == []
            at = due.claimed_until
    assert (due.state, due.last_error) == ("failed", "421 try again later")
    assert services.followup_claim_due(now=at + timedelta(days=1)) == []
    assert "could not send" in Notification.objects.get(user=manager).text


def test_a_cancelled_follow_up_is_never_sent(case):
    due = schedule(case, NOW)
    services.followup_cancel(followup=due)
    assert services.followup_claim_due(now=NOW) == []
    assert services.followup_send(followup_id=due.pk, now=NOW) is False
    with pytest.raises(ApplicationError, match="cancelled"):
        services.followup_cancel(followup=due)


def test_the_dispatcher_claims_and_sends_what_is_due(case):
    past = timezone.now() - timedelta(minutes=2)
    schedule(case, past, now=past)
    schedule(case, past, now=past, subject="Second")
    assert followups_dispatch_task() == 2  # eager in tests: each send runs at once
    assert len(mail.outbox) == 2
    assert followups_dispatch_task() == 0
