"""The customer hears back and promises are kept: what remedies, closing, callbacks and staff plan."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from cases import services as cases
from cases.models import Event
from cases.states import Outcome, State
from core.exceptions import ApplicationError
from followups import services
from followups.models import FollowUp
from followups.plans import Purpose
from recovery import services as recovery
from recovery.models import PolicyVersion
from recovery.policy import RemedyKind
from tests.factories import CaseFactory


def scheduled(case) -> dict:
    return {f.purpose: f for f in case.followups.filter(state="scheduled")}


def offer(case, actor, value="20"):
    lines = [recovery.LineInput(RemedyKind.PARTIAL_REFUND, Decimal(value), "Part of the bill back.")]
    proposal, _ = recovery.proposal_create(
        case=case, actor=actor, lines=lines, title="Refund", submission_token=uuid.uuid4(), below_floor_reason="test"
    )
    return proposal


@pytest.fixture
def case(soho, frontline):
    return CaseFactory(location=soho, created_by=frontline, order_value=Decimal("20"), lost="all")


def test_an_approved_remedy_reminds_the_assignee_to_deliver_it_in_time(case, frontline):
    before = timezone.now()
    offer(case, frontline)
    reminder = scheduled(case)[Purpose.DELIVERY_REMINDER]
    assert reminder.recipient == frontline and reminder.kind == "staff_reminder"
    assert before + timedelta(hours=48) <= reminder.due_at <= timezone.now() + timedelta(hours=48)


def test_the_delivery_reminder_follows_the_policy_in_force(case, frontline):
    PolicyVersion.objects.create(remedy_delivery_hours=6, note="Deliver the same day")
    before = timezone.now()
    offer(case, frontline)
    due = scheduled(case)[Purpose.DELIVERY_REMINDER].due_at
    assert before + timedelta(hours=6) <= due <= timezone.now() + timedelta(hours=6)


def test_one_reminder_a_case_at_the_earliest_deadline_of_the_approvals_still_to_deliver(case, frontline):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = offer(case, frontline, "5")
    with time_machine.travel(start + timedelta(hours=5), tick=False):
        second = offer(case, frontline, "5")
    first.refresh_from_db()
    assert first.deliver_by < second.deliver_by
    # The second approval does not hide the first's deadline.
    assert scheduled(case)[Purpose.DELIVERY_REMINDER].due_at == first.deliver_by
    assert case.followups.filter(purpose=Purpose.DELIVERY_REMINDER, state="scheduled").count() == 1
    # Delivering the first moves the reminder to the second's; delivering that one ends it.
    for line in first.lines.all():
        recovery.remedy_deliver(line=line, actor=frontline, reference="R-1")
    assert scheduled(case)[Purpose.DELIVERY_REMINDER].due_at == second.deliver_by
    for line in second.lines.all():
        recovery.remedy_deliver(line=line, actor=frontline, reference="R-2")
    assert Purpose.DELIVERY_REMINDER not in scheduled(case)


def test_delivering_every_remedy_cancels_the_reminder_and_tells_the_customer_what_was_done(case, frontline):
    proposal = offer(case, frontline)
    for line in proposal.lines.all():
        recovery.remedy_deliver(line=line, actor=frontline, reference="R-1")
    plan = scheduled(case)
    assert Purpose.DELIVERY_REMINDER not in plan
    message = plan[Purpose.REMEDY_MESSAGE]
    assert (message.channel, message.recipient) == ("email", None)
    assert message.body == "- Partial refund of £20.00"
    assert services.followup_send(followup_id=message.pk) is True
    sent = mail.outbox[-1]
    assert sent.to == [case.customer.email]
    assert "- Partial refund of £20.00" in sent.body and case.customer.first_name in sent.body
    assert "/c/" in sent.body  # the customer's own link
    html = sent.alternatives[0][0]
    assert "Partial refund of £20.00" in html and "<a href=" in html
    assert sent.extra_headers["Message-ID"] == f"<followup-{message.pk}@amends>"
    assert case.events.filter(kind=Event.Kind.FOLLOWUP_SENT, note__startswith="Tell the customer what we did").exists()


def test_a_customer_who_has_not_agreed_to_be_contacted_gets_no_message_and_the_timeline_says_why(case, frontline):
    case.customer.contact_consent = False
    case.customer.save()
    proposal = offer(case, frontline)
    for line in proposal.lines.all():
        recovery.remedy_deliver(line=line, actor=frontline)
    assert Purpose.REMEDY_MESSAGE not in scheduled(case)
    assert case.events.filter(note__contains="has not agreed to be contacted").exists()


def test_a_customer_who_prefers_text_messages_gets_one(case, frontline, settings):
    settings.AMENDS_SMS_BACKEND = "locmem"
    from followups.channels import sms_outbox

    sms_outbox.clear()
    case.customer.preferred_channel = "sms"
    case.customer.save()
    proposal = offer(case, frontline)
    for line in proposal.lines.all():
        recovery.remedy_deliver(line=line, actor=frontline)
    message = scheduled(case)[Purpose.REMEDY_MESSAGE]
    assert message.channel == "sms"
    services.followup_send(followup_id=message.pk)
    assert [m.to for m in sms_outbox] == [case.customer.phone]


def test_with_no_text_provider_a_text_message_fails_at_once_and_managers_see_it(case, frontline, manager):
    followup = services.followup_schedule(
        case=case, kind="customer_message", purpose=Purpose.REMEDY_MESSAGE, channel="sms", due_at=timezone.now()
    )
    from followups.tasks import followup_send_task

    assert followup_send_task(followup.pk) is False
    followup.refresh_from_db()
    assert followup.state == "failed" and "No text-message provider" in followup.last_error
    assert manager.notifications.filter(text__contains="could not send").exists()


def test_closing_plans_the_satisfaction_check_after_the_policy_s_days_and_reopening_cancels_it(case, frontline):
    closed = cases.case_transition(case=case, actor=frontline, to_state=State.CLOSED, outcome=Outcome.RETAINED)
    check = scheduled(case)[Purpose.SATISFACTION_CHECK]
    assert check.due_at == closed.closed_at + timedelta(days=7)
    assert check.kind == "satisfaction_check"
    cases.case_transition(case=case, actor=frontline, to_state=State.IN_RECOVERY)
    assert Purpose.SATISFACTION_CHECK not in scheduled(case)


def test_a_customer_is_asked_once_even_if_the_case_is_closed_twice(case, frontline):
    cases.case_transition(case=case, actor=frontline, to_state=State.CLOSED, outcome=Outcome.RETAINED)
    services.followup_send(followup_id=scheduled(case)[Purpose.SATISFACTION_CHECK].pk)
    cases.case_transition(case=case, actor=frontline, to_state=State.IN_RECOVERY)
    cases.case_transition(case=case, actor=frontline, to_state=State.CLOSED, outcome=Outcome.RETAINED)
    assert case.followups.filter(purpose=Purpose.SATISFACTION_CHECK).count() == 1


def test_closing_keeps_messages_to_the_customer_but_cancels_reminders(case, frontline):
    proposal = offer(case, frontline)
    for line in proposal.lines.all():
        recovery.remedy_deliver(line=line, actor=frontline)
    services.followup_schedule(
        case=case,
        kind="staff_reminder",
        subject="Check in",
        due_at=timezone.now() + timedelta(days=1),
        channel="in_app",
    )
    cases.case_transition(case=case, actor=frontline, to_state=State.CLOSED, outcome=Outcome.RETAINED)
    assert set(scheduled(case)) == {Purpose.REMEDY_MESSAGE, Purpose.SATISFACTION_CHECK}


def test_a_promised_callback_replaces_the_earlier_promise(case, frontline):
    first = timezone.now() + timedelta(hours=2)
    cases.case_promise_callback(case=case, actor=frontline, at=first)
    later = timezone.now() + timedelta(days=1)
    cases.case_promise_callback(case=case, actor=frontline, at=later, note="After the delivery")
    plan = scheduled(case)
    assert plan[Purpose.CALLBACK_REMINDER].due_at == later - timedelta(minutes=15)
    assert plan[Purpose.CALLBACK_ESCALATION].due_at == later + timedelta(minutes=30)
    assert case.followups.filter(state="cancelled").count() == 2


@pytest.mark.parametrize("at_delta", [timedelta(minutes=-5), timedelta(0)])
def test_a_callback_must_be_promised_for_the_future(case, frontline, at_delta):
    with pytest.raises(ApplicationError, match="in the future"):
        cases.case_promise_callback(case=case, actor=frontline, at=timezone.now() + at_delta)
    assert not case.followups.exists()


def test_the_callback_made_keeps_the_promise_and_stops_the_escalation(soho, frontline, customer):
    case = CaseFactory(location=soho, created_by=frontline, customer=customer, first_contact_at=None)
    cases.case_promise_callback(case=case, actor=frontline, at=timezone.now() + timedelta(hours=1))
    reminder = scheduled(case)[Purpose.CALLBACK_REMINDER]
    services.followup_send(followup_id=reminder.pk, now=reminder.due_at)
    case = cases.case_callback_made(case=case, actor=frontline, note="Spoke to Alice")
    reminder.refresh_from_db()
    assert (reminder.state, reminder.done_by) == ("done", frontline)
    assert scheduled(case) == {}
    assert case.promised_callback_at is None and case.first_contact_at is not None
    with pytest.raises(ApplicationError, match="No callback"):
        cases.case_callback_made(case=case, actor=frontline)


def test_staff_move_a_follow_up_and_the_timeline_says_so(case, frontline):
    followup = services.followup_schedule(
        case=case,
        kind="staff_reminder",
        channel="in_app",
        subject="Check the replacement arrived",
        due_at=timezone.now() + timedelta(days=1),
        recipient=frontline,
        actor=frontline,
    )
    later = timezone.now() + timedelta(days=3)
    services.followup_move(followup=followup, actor=frontline, due_at=later)
    followup.refresh_from_db()
    assert followup.due_at == later
    assert case.events.filter(note__startswith="Moved: Check the replacement arrived").exists()
    with pytest.raises(ApplicationError, match="from now on"):
        services.followup_move(followup=followup, actor=frontline, due_at=timezone.now() - timedelta(hours=1))


def test_a_failed_follow_up_tried_again_starts_afresh(case, manager):
    followup = services.followup_schedule(
        case=case, kind="customer_message", purpose=Purpose.REMEDY_MESSAGE, channel="email", due_at=timezone.now()
    )
    services.followup_claim_due()
    services.followup_record_failure(followup_id=followup.pk, error="550 mailbox unavailable", permanent=True)
    services.followup_move(followup=followup, actor=manager, due_at=timezone.now())
    followup.refresh_from_db()
    assert (followup.state, followup.attempts, followup.last_error) == ("scheduled", 0, "")
    assert services.followup_claim_due() == [followup.pk]


@pytest.mark.parametrize("state", ["done", "cancelled", "sent"])
def test_a_follow_up_that_is_over_cannot_be_moved(case, frontline, state):
    followup = FollowUp.objects.create(
        case=case, kind="staff_reminder", channel="in_app", subject="x", due_at=timezone.now(), state=state
    )
    with pytest.raises(ApplicationError, match="can no longer be changed"):
        services.followup_move(followup=followup, actor=frontline, due_at=timezone.now() + timedelta(hours=1))


def test_only_a_reminder_to_staff_can_be_marked_done(case, frontline):
    message = services.followup_schedule(
        case=case, kind="customer_message", purpose=Purpose.REMEDY_MESSAGE, channel="email", due_at=timezone.now()
    )
    with pytest.raises(ApplicationError, match="reminder or an escalation"):
        services.followup_mark_done(followup=message, actor=frontline)


def test_nothing_but_messages_to_the_customer_can_be_planned_on_a_closed_case(case, frontline):
    cases.case_transition(case=case, actor=frontline, to_state=State.CLOSED, outcome=Outcome.RETAINED)
    with pytest.raises(ApplicationError, match="closed"):
        services.followup_schedule(
            case=case, kind="staff_reminder", channel="in_app", subject="x", due_at=timezone.now(), actor=frontline
        )


def test_an_escalation_is_settled_by_a_manager_not_by_frontline(case, frontline, manager):
    escalation = services.followup_schedule(
        case=case,
        kind="escalation",
        channel="in_app",
        subject="A promised callback was not made",
        due_at=timezone.now(),
    )
    with pytest.raises(ApplicationError, match="for a manager"):
        services.followup_mark_done(followup=escalation, actor=frontline)
    assert services.followup_mark_done(followup=escalation, actor=manager).state == "done"


def test_a_second_approval_is_delivered_after_the_case_moved_on(case, frontline):
    first, second = offer(case, frontline, "5"), offer(case, frontline, "5")
    for line in first.lines.all():
        recovery.remedy_deliver(line=line, actor=frontline, reference="R-1")
    case.refresh_from_db()
    assert case.state == State.REMEDY_DELIVERED.value
    cases.case_transition(case=case, actor=frontline, to_state=State.FOLLOWING_UP)
    for line in second.lines.all():
        recovery.remedy_deliver(line=line, actor=frontline, reference="R-2")
    second.refresh_from_db()
    case.refresh_from_db()
    assert (second.state, case.state) == ("delivered", State.FOLLOWING_UP.value)
    assert case.events.filter(kind=Event.Kind.REMEDY_DELIVERED).count() == first.lines.count() + second.lines.count()
