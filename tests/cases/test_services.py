import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from cases import services
from cases.models import Case
from cases.states import Outcome, State
from core.exceptions import ApplicationError
from customers.models import Customer
from customers.services import CustomerDetails
from tests.factories import CaseFactory, staff


def incident(location, **changes):
    values = {
        "location_id": location.pk,
        "channel": "in_person",
        "category": "delay",
        "description": "Long wait, cold food.",
        "occurred_at": timezone.now() - timedelta(minutes=30),
        "order_value": Decimal("64"),
    }
    values.update(changes)
    return services.IncidentDetails(**values)


def open_case(actor, location, customer=None, **changes):
    return services.case_open(
        actor=actor,
        details=incident(location, **changes),
        customer=customer,
        new_customer=None if customer else CustomerDetails(name="Jane Doe", email="jane@example.com"),
        submission_token=uuid.uuid4(),
    )


def test_opening_records_suggested_severity_sla_and_timeline(frontline, soho):
    case, created = open_case(frontline, soho, channel="email", lost="all")
    assert created
    assert (case.severity, case.suggested_severity) == ("moderate", "moderate")
    assert case.first_contact_at is None
    assert case.sla_due_at == case.created_at + timedelta(hours=4)
    event = case.events.get()
    assert event.kind == "case.logged" and "they lost all of what they paid for" in event.note


def test_a_second_incident_within_90_days_is_a_repeat(frontline, soho, customer):
    CaseFactory(location=soho, customer=customer, created_at=timezone.now() - timedelta(days=89))
    case, _ = open_case(frontline, soho, customer=customer)
    assert case.repeat_incident


def test_an_incident_after_90_days_is_not_a_repeat(frontline, soho, customer):
    CaseFactory(location=soho, customer=customer, created_at=timezone.now() - timedelta(days=91))
    case, _ = open_case(frontline, soho, customer=customer)
    assert not case.repeat_incident


def test_overriding_severity_keeps_the_reason(frontline, soho, customer):
    case, _ = open_case(
        frontline, soho, customer=customer, severity="critical", severity_override_reason="Wedding party of twenty"
    )
    assert (case.severity, case.suggested_severity) == ("critical", "minor")
    assert case.severity_override_reason == "Wedding party of twenty"


def test_refused_case_leaves_no_new_customer_behind(frontline, soho):
    with pytest.raises(ApplicationError):
        open_case(frontline, soho, severity="critical", severity_override_reason="")
    assert not Customer.objects.exists()


def test_the_same_token_twice_returns_the_first_case(frontline, soho):
    token = uuid.uuid4()
    details = incident(soho)
    new = CustomerDetails(name="Jane Doe", email="jane@example.com")
    first, created = services.case_open(actor=frontline, details=details, new_customer=new, submission_token=token)
    again, created_again = services.case_open(
        actor=frontline, details=details, new_customer=new, submission_token=token
    )
    assert (created, created_again) == (True, False)
    assert first == again
    assert Case.objects.count() == 1


def test_staff_cannot_open_a_case_at_another_location(frontline, camden):
    with pytest.raises(ApplicationError, match="do not work at that location"):
        open_case(frontline, camden)


def test_a_promised_callback_must_be_ahead(frontline, soho, customer):
    with pytest.raises(ApplicationError, match="callback"):
        open_case(frontline, soho, customer=customer, promised_callback_at=timezone.now() - timedelta(hours=1))


def test_transition_writes_who_when_from_and_to(frontline, soho):
    case = CaseFactory(location=soho, first_contact_at=None)
    moved = services.case_transition(case=case, actor=frontline, to_state=State.IN_RECOVERY, note="On it")
    event = moved.events.get()
    assert (event.actor, event.from_state, event.to_state, event.note) == (frontline, "open", "in_recovery", "On it")
    assert moved.first_contact_at is not None  # working the case means the customer was reached


def test_closing_records_outcome_and_reopening_clears_it(frontline, soho):
    case = CaseFactory(location=soho, state="following_up")
    closed = services.case_transition(case=case, actor=frontline, to_state=State.CLOSED, outcome=Outcome.RETAINED)
    assert (closed.state, closed.outcome) == ("closed", "retained") and closed.closed_at
    reopened = services.case_transition(case=closed, actor=frontline, to_state=State.IN_RECOVERY)
    assert (reopened.outcome, reopened.closed_at) == ("", None)


def test_an_illegal_move_is_refused_and_nothing_is_written(frontline, soho):
    case = CaseFactory(location=soho, state="open")
    with pytest.raises(ApplicationError, match="cannot move"):
        services.case_transition(case=case, actor=frontline, to_state=State.FOLLOWING_UP)
    case.refresh_from_db()
    assert case.state == "open" and not case.events.exists()


def test_staff_elsewhere_cannot_move_a_case(soho, camden):
    outsider = staff(Role.MANAGER, camden)
    case = CaseFactory(location=soho)
    with pytest.raises(ApplicationError):
        services.case_transition(case=case, actor=outsider, to_state=State.IN_RECOVERY)


def test_recording_first_contact_stops_the_clock_once(frontline, soho):
    case = CaseFactory(location=soho, first_contact_at=None)
    first = services.case_record_contact(case=case, actor=frontline, now=timezone.now())
    stamp = first.first_contact_at
    again = services.case_record_contact(case=case, actor=frontline, note="Called again")
    assert again.first_contact_at == stamp
    assert case.events.count() == 2


def test_empty_note_is_refused(frontline, soho):
    with pytest.raises(ApplicationError, match="Write the note"):
        services.case_add_note(case=CaseFactory(location=soho), actor=frontline, note="   ")


def test_the_opening_note_writes_money_with_the_currency(frontline, soho):
    case, _ = open_case(frontline, soho, order_value=Decimal("330"))
    assert "£330.00 at stake for the customer" in case.events.get().note
