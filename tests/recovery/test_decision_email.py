"""The decision on a proposal reaches its proposer once in the app, and by email with one
Message-ID however often the send is retried."""

import pytest
from django.core import mail

from cases.models import Event
from core.models import Notification
from followups import channels
from followups.services.decisions import decision_email_send
from followups.tasks import decision_email_send_task, proposal_decided_notify_task
from recovery import services
from tests.recovery.test_services import take


@pytest.fixture
def proposer(frontline):
    frontline.email = "fran@example.com"
    frontline.save()
    return frontline


def test_a_mail_outage_makes_one_notification_and_the_email_follows_once_it_is_back(
    meal_case, proposer, manager, monkeypatch, django_capture_on_commit_callbacks
):
    proposal, _ = take(meal_case, proposer)
    attempts = []

    def refuse(message):
        attempts.append(message.message_id)
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("followups.services.decisions.send_email", refuse)
    with django_capture_on_commit_callbacks() as after_commit:
        services.proposal_decide(proposal=proposal, actor=manager, approve=True, expected_revision=1)
    assert len(after_commit) == 1  # the email's task, enqueued once the decision is committed

    decision = Event.objects.get(kind=Event.Kind.PROPOSAL_DECIDED)
    # What the task does on each of its tries (it retries on OSError) while the server is down.
    for _ in range(decision_email_send_task.max_retries + 1):
        with pytest.raises(OSError):
            decision_email_send(event_id=decision.pk)
    assert decision_email_send_task.autoretry_for == (OSError,)
    assert set(attempts) == {f"<decision-{decision.pk}@amends>"} and len(attempts) == 6
    assert Notification.objects.filter(user=proposer).count() == 1
    assert mail.outbox == []

    monkeypatch.setattr("followups.services.decisions.send_email", channels.send_email)
    decision_email_send_task(decision.pk)
    [email] = mail.outbox
    assert email.to == ["fran@example.com"] and email.extra_headers["Message-ID"] == f"<decision-{decision.pk}@amends>"
    assert Notification.objects.filter(user=proposer).count() == 1


def test_a_proposer_without_an_email_still_hears_in_the_app(meal_case, frontline, manager):
    frontline.email = ""
    frontline.save()
    proposal, _ = take(meal_case, frontline)
    services.proposal_decide(proposal=proposal, actor=manager, approve=False, reason="Too much", expected_revision=1)
    [note] = Notification.objects.filter(user=frontline)
    assert "was rejected by" in note.text and "Too much" in note.text
    assert mail.outbox == []


def test_a_decision_queued_by_the_release_before_the_event_log_is_still_told(
    meal_case, proposer, manager, settings, django_capture_on_commit_callbacks
):
    """The old release queued `recovery.proposal_decided_notify(proposal_id)` and wrote no
    notification with the decision; such a message, still in the broker after the upgrade,
    notifies the proposer and sends the decision's one email."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    proposal, _ = take(meal_case, proposer)
    with django_capture_on_commit_callbacks():
        services.proposal_decide(
            proposal=proposal, actor=manager, approve=False, reason="Too much", expected_revision=1
        )
    Notification.objects.all().delete()  # as the old release left it: nothing in the app yet
    mail.outbox.clear()

    proposal_decided_notify_task.apply(args=[proposal.pk]).get()

    decision = Event.objects.get(kind=Event.Kind.PROPOSAL_DECIDED)
    [note] = Notification.objects.filter(user=proposer)
    assert "was rejected by" in note.text and "Too much" in note.text
    [email] = mail.outbox
    assert email.extra_headers["Message-ID"] == f"<decision-{decision.pk}@amends>"
    assert proposal_decided_notify_task.name == "recovery.proposal_decided_notify"


def test_an_old_message_for_a_proposal_never_decided_tells_nobody(meal_case, proposer):
    proposal, _ = take(meal_case, proposer)
    proposal_decided_notify_task.apply(args=[proposal.pk]).get()
    assert Notification.objects.count() == 0 and mail.outbox == []
