"""What follow-ups do when something happens to a case: the one place where a change made
lower in the stack (cases, recovery) plans, cancels or sends something here.

Each reaction runs inside the transaction of the change (cases/events.py `record`), so a
case logged and its follow-ups commit together or not at all. Registered once, by
FollowupsConfig.ready().
"""

from django.db import transaction

from cases import events
from cases.events import Kind
from cases.models import Case, Event
from cases.states import State
from recovery.models import Proposal

from .plans import Purpose
from .services import (
    followups_callback_made,
    followups_cancel_purposes,
    followups_plan_callback,
    followups_plan_closed_case,
    followups_plan_delivered_remedy,
    followups_plan_delivery_reminder,
    followups_plan_opened_case,
    followups_plan_reopened_case,
)
from .services.decisions import decision_notify
from .tasks import decision_email_send_task

CLOSED = State.CLOSED.value


def _case(event: Event) -> Case:
    # Every kind reacted to here is a case's: its entry always names the case.
    if event.case is None:
        raise ValueError(f"{event.kind} without a case")
    return event.case


def _first_contact(event: Event) -> None:
    # Someone has spoken to the customer: the escalation for no first contact is moot.
    followups_cancel_purposes(case=_case(event), purposes=[Purpose.FIRST_CONTACT_ESCALATION])


@events.react_to(Kind.CASE_LOGGED)
def case_logged(event: Event, payload: events.CaseLogged) -> None:
    followups_plan_opened_case(case=_case(event), now=event.created_at)


@events.react_to(Kind.CASE_STATE_CHANGED)
def case_state_changed(event: Event, payload: events.StateChanged) -> None:
    if payload.first_contact:
        _first_contact(event)
    if payload.after == CLOSED:
        followups_plan_closed_case(case=_case(event), now=event.created_at)
    elif payload.before == CLOSED:
        followups_plan_reopened_case(case=_case(event))


@events.react_to(Kind.CASE_CONTACT_MADE)
def case_contact_made(event: Event, payload: events.ContactMade) -> None:
    if payload.first_contact:
        _first_contact(event)


@events.react_to(Kind.CASE_CALLBACK_PROMISED)
def case_callback_promised(event: Event, payload: events.CallbackPromised) -> None:
    followups_plan_callback(case=_case(event), promised_at=payload.at, now=event.created_at, actor=event.actor)


@events.react_to(Kind.CASE_CALLBACK_MADE)
def case_callback_made(event: Event, payload: events.CallbackMade) -> None:
    followups_callback_made(case=_case(event), actor=event.actor, now=event.created_at)
    if payload.first_contact:
        _first_contact(event)


@events.react_to(Kind.PROPOSAL_MADE)
def proposal_made(event: Event, payload: events.ProposalMade) -> None:
    if not payload.needs:  # approved on the spot: remind the assignee to deliver it in time
        followups_plan_delivery_reminder(case=_case(event), now=event.created_at)


@events.react_to(Kind.PROPOSAL_DECIDED)
def proposal_decided(event: Event, payload: events.ProposalDecided) -> None:
    # In the app now, in the decision's transaction: written once, however often the email is retried.
    proposal = decision_notify(event)
    if payload.decision == "approved":
        followups_plan_delivery_reminder(case=_case(event), now=event.created_at)
    if proposal.proposed_by.email:
        transaction.on_commit(lambda: decision_email_send_task.delay(event.pk))


@events.react_to(Kind.REMEDY_DELIVERED)
def remedy_delivered(event: Event, payload: events.RemedyDelivered) -> None:
    if payload.all_delivered:
        proposal = Proposal.objects.get(pk=payload.proposal_id)
        followups_plan_delivered_remedy(case=_case(event), proposal=proposal, now=event.created_at)
