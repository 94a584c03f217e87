"""Promises are kept: logging a case schedules its reminders and escalations; later changes cancel them."""

import uuid
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from cases import services as cases
from cases.states import Outcome, State
from core.models import Notification
from followups import services
from followups.models import FollowUp
from followups.plans import Purpose


def open_case(actor, location, customer, **changes):
    values = {
        "location_id": location.pk,
        "channel": "email",
        "category": "delay",
        "description": "Late.",
        "occurred_at": timezone.now() - timedelta(hours=1),
        "order_value": Decimal("30"),
    }
    values.update(changes)
    case, _ = cases.case_open(
        actor=actor, details=cases.IncidentDetails(**values), customer=customer, submission_token=uuid.uuid4()
    )
    return case


def scheduled(case):
    return {f.purpose: f for f in case.followups.filter(state="scheduled")}


def test_a_promised_callback_gets_a_reminder_before_and_an_escalation_after(frontline, soho, customer):
    callback = timezone.now() + timedelta(hours=3)
    case = open_case(frontline, soho, customer, channel="phone", promised_callback_at=callback)
    plan = scheduled(case)
    assert set(plan) == {Purpose.CALLBACK_REMINDER, Purpose.CALLBACK_ESCALATION}  # phoned: contacted already
    assert (plan[Purpose.CALLBACK_REMINDER].due_at, plan[Purpose.CALLBACK_REMINDER].recipient) == (
        callback - timedelta(minutes=15),
        frontline,
    )
    assert plan[Purpose.CALLBACK_ESCALATION].due_at == callback + timedelta(minutes=30)


def test_no_first_contact_by_the_deadline_escalates_to_the_managers(frontline, manager, soho, customer):
    case = open_case(frontline, soho, customer, channel="email")
    escalation = scheduled(case)[Purpose.FIRST_CONTACT_ESCALATION]
    assert escalation.due_at == case.sla_due_at
    services.followup_send(followup_id=escalation.pk)
    assert Notification.objects.get(user=manager).text.endswith(Purpose.FIRST_CONTACT_ESCALATION.label)


def test_first_contact_cancels_the_escalation(frontline, soho, customer):
    case = open_case(frontline, soho, customer, channel="email")
    cases.case_record_contact(case=case, actor=frontline)
    assert Purpose.FIRST_CONTACT_ESCALATION not in scheduled(case)


def test_closing_cancels_what_no_longer_applies(frontline, soho, customer):
    case = open_case(
        frontline, soho, customer, channel="phone", promised_callback_at=timezone.now() + timedelta(hours=3)
    )
    cases.case_transition(case=case, actor=frontline, to_state=State.CLOSED, outcome=Outcome.RETAINED)
    # The reminders are moot; what is left is asking the customer, a week on.
    assert set(scheduled(case)) == {Purpose.SATISFACTION_CHECK}
    assert case.followups.filter(state="cancelled").count() == 2
    assert FollowUp.objects.filter(state="scheduled").count() == 1
