from datetime import datetime, timedelta
from smtplib import SMTPRecipientsRefused
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
        ({"state": FollowUpState.SENT}, False),
    ],
)
def test_what_a_worker_may_claim(changes, expected):
    values = {
        "state": FollowUpState.SCHEDULED,
        "due_at": NOW,
        "claimed_until": None,
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


def test_only_due_rows_are_claimed_and_a_claim_is_not_a_try(case):
    due = schedule(case, NOW - timedelta(minutes=1))
    schedule(case, NOW + timedelta(hours=1))
    assert services.followup_claim_due(now=NOW) == [due.pk]
    due.refresh_from_db()
    assert (due.attempts, due.claimed_until, due.failing_since) == (0, NOW + services.lease(), None)
    assert services.followup_claim_due(now=NOW) == []  # leased


def test_a_dead_workers_rows_are_claimed_again_after_the_lease(case):
    due = schedule(case, NOW)
    services.followup_claim_due(now=NOW)
    again = NOW + services.lease() + timedelta(seconds=1)
    assert services.followup_claim_due(now=again) == [due.pk]
    due.refresh_from_db()
    # Its last claim had no outcome: the retry window starts, but no try is counted.
    assert (due.attempts, due.failing_since) == (0, again)


def test_a_row_that_keeps_killing_its_worker_is_failed_a_retry_window_after_its_first_lost_lease(case, manager):
    due = schedule(case, NOW)
    at = NOW
    for _ in range(3):  # claimed, and each time the worker dies before anything is recorded
        assert services.followup_claim_due(now=at) == [due.pk]
        at += services.lease() + timedelta(seconds=1)
    first_lost = NOW + services.lease() + timedelta(seconds=1)
    assert services.followups_fail_stuck(now=first_lost + services.retry_window() - timedelta(seconds=1)) == 0
    assert services.followups_fail_stuck(now=first_lost + services.retry_window()) == 1
    due.refresh_from_db()
    assert (due.state, due.attempts) == ("failed", 0)
    assert due.last_error == (
        "Not sent within 24 hours of its first failure: each time, its worker stopped mid-send or its message was lost."
    )
    assert "could not send" in Notification.objects.get(user=manager).text


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


def refuse_with(monkeypatch, error):
    def refuse(*args, **kwargs):
        raise error

    monkeypatch.setattr("followups.services.sending.send_email", refuse)


BUSY = SMTPRecipientsRefused({"customer@example.com": (451, b"4.3.0 Mailbox busy, try again later")})


def test_a_mail_server_refusing_for_hours_uses_up_nothing_and_the_message_goes_when_it_is_back(case, monkeypatch):
    due = schedule(case, NOW)
    refuse_with(monkeypatch, BUSY)
    at, tries = NOW, 0
    while at < NOW + timedelta(hours=6):
        assert services.followup_claim_due(now=at) == [due.pk]
        assert services.followups_send_chunk(ids=[due.pk], budget_seconds=10, now=at) == 0
        tries += 1
        due.refresh_from_db()
        assert (due.state, due.attempts, due.failing_since) == ("scheduled", tries, NOW)
        assert "451" in due.last_error
        # Held back in the database, at most five minutes: no sweep takes it a second before.
        assert at < due.claimed_until <= at + timedelta(minutes=5)
        assert services.followup_claim_due(now=due.claimed_until - timedelta(seconds=1)) == []
        at = due.claimed_until
    monkeypatch.undo()  # the mail server is back
    assert services.followup_claim_due(now=at) == [due.pk]
    assert services.followups_send_chunk(ids=[due.pk], budget_seconds=10, now=at) == 1
    due.refresh_from_db()
    assert (due.state, due.attempts, due.failing_since) == ("sent", tries + 1, None)
    assert [message.extra_headers["Message-ID"] for message in mail.outbox] == [f"<followup-{due.pk}@amends>"]


def test_a_temporary_failure_still_failing_a_window_after_it_first_failed_is_marked_failed_and_shown(
    case, manager, monkeypatch, settings
):
    settings.AMENDS_FOLLOWUP_RETRY_SECONDS = 60 * 60  # a day by default: an hour's tries here
    due = schedule(case, NOW)
    refuse_with(monkeypatch, BUSY)
    at = NOW
    while due.state == "scheduled":
        assert services.followup_claim_due(now=at) == [due.pk]
        services.followups_send_chunk(ids=[due.pk], budget_seconds=10, now=at)
        due.refresh_from_db()
        at = due.claimed_until or at
    assert NOW + services.retry_window() == at
    assert due.attempts > 10 and "451" in due.last_error
    assert "could not send" in Notification.objects.get(user=manager).text


def test_a_permanent_refusal_fails_at_once_with_the_servers_words(case, manager, monkeypatch):
    due = schedule(case, NOW)
    refuse_with(monkeypatch, SMTPRecipientsRefused({"customer@example.com": (550, b"5.1.1 No such user")}))
    assert services.followup_claim_due(now=NOW) == [due.pk]
    assert services.followups_send_chunk(ids=[due.pk], budget_seconds=10, now=NOW) == 0
    due.refresh_from_db()
    assert (due.state, due.attempts, due.claimed_until) == ("failed", 1, None)
    assert "550" in due.last_error and "No such user" in due.last_error
    assert services.followup_claim_due(now=NOW + timedelta(days=2)) == []
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
