"""Writing corrective actions: one function per change, each in one transaction.

Changes that concern a case (linking it, unlinking it, the fix being done) are put
on that case's timeline in the same call. Marking an action done tells every linked
customer who agreed to be contacted what the business changed, each by a follow-up
that the dispatcher sends.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Location, User
from accounts.roles import Role, works_at
from cases import events
from cases.events import Kind
from cases.models import Case
from core.exceptions import ApplicationError
from followups.models import FollowUp
from followups.plans import Purpose
from followups.services import customer_channel, followup_schedule

from .models import CorrectiveAction, CorrectiveActionCase
from .selectors import links_elsewhere, not_told_reason, told_when_done
from .states import ActionState, IllegalTransition, check_transition

# What people read when a rule says no: lazy, so each is in the language active when it is
# raised (str(), or filled in with format()).
NOT_YOUR_LOCATION = _("You do not work at that location.")
NOT_YOUR_ACTION = _("This corrective action is for a location you do not work at.")
CASES_ELSEWHERE = _(
    "Cases at locations you do not work at are linked to this action: only someone who works at all of them "
    "(an owner) can change it or tell their customers."
)
NOT_YOUR_CASE = _("{reference} is not at one of your locations.")
CASE_ELSEWHERE = _("{reference} is at {case_location}; this action is only for {action_location}.")
NOT_LINKED = _("{reference} is not linked to this action.")
NOT_ACTIVE = _("This action is {state}: it can no longer be changed.")
OWNER_NEEDED = _("Choose who is responsible.")
OWNER_NOT_MANAGER = _("{name} is not a manager: choose a manager or an owner to be responsible.")
OWNER_ELSEWHERE = _("{name} does not work at {location}.")
DUE_IN_PAST = _("The due date cannot be in the past.")
TITLE_NEEDED = _("Give the action a short title.")
DESCRIPTION_NEEDED = _("Say what changes.")
MESSAGE_NEEDED = _("Write what the customers will be told before marking the action done.")
# The rule (corrective/states.py) says it in English; people read it here, in their language.
CANNOT_MOVE = _("A corrective action cannot move from {current} to {target}.")


@dataclass(frozen=True)
class ActionDetails:
    """What a manager says about the fix, as plain values."""

    title: str
    description: str
    kind: str
    owner_id: int
    due_date: date
    customer_message: str = ""


def _may_act_on(actor: User, action: CorrectiveAction) -> None:
    """Only someone who can see every case an action is linked to may change it: edit it,
    start, cancel, link or unlink a case, or mark it done and word what all those customers
    are told. Managers act on the actions of their locations, and on business-wide ones whose
    cases are all at their locations; owners on all. The action page asks the same
    (`selectors.links_elsewhere`)."""
    if action.location_id is not None and not works_at(actor, action.location_id):
        raise ApplicationError(NOT_YOUR_ACTION)
    if links_elsewhere(action, actor).exists():
        raise ApplicationError(CASES_ELSEWHERE)


def _check_active(action: CorrectiveAction) -> None:
    if not action.is_active:
        raise ApplicationError(NOT_ACTIVE.format(state=gettext(action.state_enum.label).lower()))


def _check_owner(owner_id: int, location_id: int | None) -> User:
    owner = User.objects.filter(pk=owner_id, is_active=True, is_integration=False).prefetch_related("groups").first()
    if owner is None:
        raise ApplicationError(OWNER_NEEDED, field="owner")
    roles = {group.name for group in owner.groups.all()}
    if Role.OWNER in roles or owner.is_superuser:
        return owner
    if Role.MANAGER not in roles:
        raise ApplicationError(OWNER_NOT_MANAGER.format(name=owner), field="owner")
    if location_id is not None and not owner.locations.filter(pk=location_id).exists():
        location = Location.objects.get(pk=location_id)
        raise ApplicationError(OWNER_ELSEWHERE.format(name=owner, location=location), field="owner")
    return owner


def _check_details(details: ActionDetails) -> None:
    if not details.title.strip():
        raise ApplicationError(TITLE_NEEDED, field="title")
    if not details.description.strip():
        raise ApplicationError(DESCRIPTION_NEEDED, field="description")


def _event(
    kind: str, action: CorrectiveAction, case: Case, actor: User, now: datetime, note: str, told: bool = False
) -> None:
    payload = events.CorrectiveActionChanged(action_id=action.pk, title=action.title, customer_told=told)
    events.record(kind=kind, case=case, actor=actor, now=now, note=note, payload=payload)


def _locked(action: CorrectiveAction) -> CorrectiveAction:
    # Linking, unlinking and completing all lock the action's row first, so a case
    # cannot be linked while the action is being completed (and miss its message).
    return CorrectiveAction.objects.select_for_update(of=("self",)).select_related("location").get(pk=action.pk)


@transaction.atomic
def corrective_action_create(
    *,
    actor: User,
    details: ActionDetails,
    location_id: int | None,
    case: Case | None = None,
    now: datetime | None = None,
) -> CorrectiveAction:
    """Record a fix of the cause, at one of the actor's locations or business-wide
    (`location_id` None), optionally linked at once to the case it came from."""
    now = now or timezone.now()
    if location_id is not None and not works_at(actor, location_id):
        raise ApplicationError(NOT_YOUR_LOCATION, field="location")
    _check_details(details)
    if details.due_date < timezone.localdate(now):
        raise ApplicationError(DUE_IN_PAST, field="due_date")
    owner = _check_owner(details.owner_id, location_id)
    action = CorrectiveAction(
        title=details.title.strip(),
        description=details.description.strip(),
        kind=details.kind,
        owner=owner,
        location_id=location_id,
        due_date=details.due_date,
        customer_message=details.customer_message.strip(),
        created_at=now,
        created_by=actor,
    )
    action.full_clean(exclude=["owner", "location", "created_by", "done_by"])
    action.save()
    if case is not None:
        corrective_action_link_case(action=action, case=case, actor=actor, now=now)
    return action


@transaction.atomic
def corrective_action_update(
    *, action: CorrectiveAction, actor: User, details: ActionDetails, now: datetime | None = None
) -> CorrectiveAction:
    """Change what an unfinished action says, who owns it and when it is due."""
    now = now or timezone.now()
    action = _locked(action)
    _may_act_on(actor, action)
    _check_active(action)
    _check_details(details)
    if details.due_date != action.due_date and details.due_date < timezone.localdate(now):
        raise ApplicationError(DUE_IN_PAST, field="due_date")
    action.owner = _check_owner(details.owner_id, action.location_id)
    action.title = details.title.strip()
    action.description = details.description.strip()
    action.kind = details.kind
    action.due_date = details.due_date
    action.customer_message = details.customer_message.strip()
    action.full_clean(exclude=["owner", "location", "created_by", "done_by"])
    action.save(update_fields=["owner", "title", "description", "kind", "due_date", "customer_message"])
    return action


def _move(action: CorrectiveAction, target: ActionState) -> None:
    try:
        check_transition(action.state_enum, target)
    except IllegalTransition as error:
        current, wanted = (gettext(state.label).lower() for state in (action.state_enum, target))
        raise ApplicationError(CANNOT_MOVE.format(current=current, target=wanted)) from error


@transaction.atomic
def corrective_action_start(*, action: CorrectiveAction, actor: User) -> CorrectiveAction:
    """Someone is working on the fix."""
    action = _locked(action)
    _may_act_on(actor, action)
    _move(action, ActionState.IN_PROGRESS)
    action.state = ActionState.IN_PROGRESS.value
    action.save(update_fields=["state"])
    return action


@transaction.atomic
def corrective_action_cancel(*, action: CorrectiveAction, actor: User, now: datetime | None = None) -> CorrectiveAction:
    """The fix will not be made (a better one was found, say). Nobody is told; each
    linked case's timeline says so."""
    now = now or timezone.now()
    action = _locked(action)
    _may_act_on(actor, action)
    _move(action, ActionState.CANCELLED)
    action.state = ActionState.CANCELLED.value
    action.save(update_fields=["state"])
    events.record_each(
        kind=Kind.CORRECTIVE_ACTION_CANCELLED,
        case_ids=action.links.values_list("case_id", flat=True),
        actor=actor,
        note=f"Corrective action “{action.title}” was cancelled.",
        now=now,
        payload=events.CorrectiveActionChanged(action_id=action.pk, title=action.title),
    )
    return action


def _check_case(actor: User, action: CorrectiveAction, case: Case) -> None:
    if not works_at(actor, case.location_id):
        raise ApplicationError(NOT_YOUR_CASE.format(reference=case.reference), field="reference")
    if action.location_id is not None and case.location_id != action.location_id:
        raise ApplicationError(
            CASE_ELSEWHERE.format(
                reference=case.reference, case_location=case.location, action_location=action.location
            ),
            field="reference",
        )


@transaction.atomic
def corrective_action_link_case(
    *, action: CorrectiveAction, case: Case, actor: User, now: datetime | None = None
) -> tuple[CorrectiveActionCase, bool]:
    """Say that this action fixes the cause of this case. Returns (link, created):
    linking a case twice does nothing the second time."""
    now = now or timezone.now()
    action = _locked(action)
    _may_act_on(actor, action)
    _check_active(action)
    _check_case(actor, action, case)
    existing = CorrectiveActionCase.objects.filter(action=action, case=case).first()
    if existing is not None:
        return existing, False
    link = CorrectiveActionCase.objects.create(action=action, case=case, linked_by=actor, linked_at=now)
    due = action.due_date.strftime("%-d %b %Y")
    _event(
        Kind.CORRECTIVE_ACTION_LINKED,
        action,
        case,
        actor,
        now,
        f"Linked to corrective action “{action.title}” ({action.get_kind_display().lower()}), "
        f"due {due}. {told_when_done(case.customer)}",
    )
    return link, True


@transaction.atomic
def corrective_action_unlink_case(
    *, action: CorrectiveAction, case: Case, actor: User, now: datetime | None = None
) -> None:
    """Take a case off an unfinished action (it was linked by mistake)."""
    now = now or timezone.now()
    action = _locked(action)
    _may_act_on(actor, action)
    _check_active(action)
    if not works_at(actor, case.location_id):
        raise ApplicationError(NOT_YOUR_CASE.format(reference=case.reference))
    deleted, _removed = CorrectiveActionCase.objects.filter(action=action, case=case).delete()
    if not deleted:
        raise ApplicationError(NOT_LINKED.format(reference=case.reference))
    _event(
        Kind.CORRECTIVE_ACTION_UNLINKED, action, case, actor, now, f"Unlinked from corrective action “{action.title}”."
    )


@transaction.atomic
def corrective_action_complete(
    *, action: CorrectiveAction, actor: User, message: str, now: datetime | None = None
) -> CorrectiveAction:
    """The fix is in place: mark the action done and tell each linked customer who agreed
    to be contacted, in `message`, what the business changed (a follow-up each, sent by
    the dispatcher). Customers who cannot be told get the reason recorded on their link.

    Completing an action that is already done returns it unchanged: the same submit
    twice tells nobody twice.
    """
    now = now or timezone.now()
    action = _locked(action)
    if action.state == ActionState.DONE.value:
        return action
    _may_act_on(actor, action)
    _move(action, ActionState.DONE)
    message = message.strip()
    if not message:
        raise ApplicationError(MESSAGE_NEEDED, field="message")
    action.state = ActionState.DONE.value
    action.done_at, action.done_by = now, actor
    action.customer_message = message
    action.full_clean(exclude=["owner", "location", "created_by", "done_by"])
    action.save(update_fields=["state", "done_at", "done_by", "customer_message"])

    links = action.links.select_related("case__customer").order_by("id")
    for link in links:
        case = link.case
        reason = not_told_reason(case.customer)
        if reason:
            link.not_told_reason = reason
            link.save(update_fields=["not_told_reason"])
            told = f"The customer was not told: {reason}."
        else:
            link.followup = followup_schedule(
                case=case,
                kind=FollowUp.Kind.CUSTOMER_MESSAGE,
                purpose=Purpose.CORRECTIVE_MESSAGE,
                channel=customer_channel(case.customer),  # type: ignore[arg-type]  # not_told_reason: it has one
                due_at=now,
                body=message,
                actor=actor,
                now=now,
            )
            link.save(update_fields=["followup"])
            told = f"The customer will be told by {link.followup.get_channel_display().lower()}."
        note = f"Corrective action “{action.title}” is done. {told}"
        _event(Kind.CORRECTIVE_ACTION_COMPLETED, action, case, actor, now, note, told=not reason)
    return action
