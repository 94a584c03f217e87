"""Reading corrective actions: scoped to the reader's locations here, once.

Managers and frontline staff see the actions of their locations and the
business-wide ones; owners see every action.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role, location_ids_of
from cases.models import Case
from cases.selectors import cases_visible_to
from customers.models import Customer
from followups.models import FollowUp
from followups.plans import Purpose
from followups.services import compose_for, customer_channel
from followups.states import FollowUpState

from .models import CorrectiveAction, CorrectiveActionCase
from .states import ACTIVE_STATES, ActionState

ACTIVE_VALUES = [state.value for state in ACTIVE_STATES]

# Why a linked customer is not told (shown on the case page after "Not told: "). Kept on the
# link and in the timeline in English, translated where shown.
NOT_TOLD_NO_CONSENT = gettext_noop("has not agreed to be contacted")
NOT_TOLD_NO_ADDRESS = gettext_noop("no email address or mobile number")


def actions_visible_to(user: User) -> QuerySet[CorrectiveAction]:
    location_ids = location_ids_of(user)
    actions = CorrectiveAction.objects.all()
    if location_ids is None:
        return actions
    return actions.filter(Q(location__isnull=True) | Q(location_id__in=location_ids))


def overdue_q(today: date | None = None) -> Q:
    """Still being worked on and past its due date."""
    return Q(state__in=ACTIVE_VALUES, due_date__lt=today or timezone.localdate())


def action_list(user: User, *, state: str = "active", overdue: bool = False) -> QuerySet[CorrectiveAction]:
    """The list page's rows with their owner, location and number of cases: one query,
    whatever the number of rows. `state` is a state's value, "active" or "" for all."""
    actions = (
        actions_visible_to(user)
        .select_related("owner", "location")
        .defer("description", "customer_message")
        .annotate(case_count=Count("links"))
    )
    if state == "active":
        actions = actions.filter(state__in=ACTIVE_VALUES)
    elif state:
        actions = actions.filter(state=state)
    if overdue:
        actions = actions.filter(overdue_q())
    return actions.order_by("due_date", "id")


def action_get(user: User, pk: int) -> CorrectiveAction:
    """One action with what its page shows, or 404 if the user may not see it."""
    return get_object_or_404(
        actions_visible_to(user).select_related("owner", "location", "created_by", "done_by"), pk=pk
    )


def tellable_q(prefix: str = "case__customer__") -> Q:
    """Links whose customer can be told: they agreed, and have an email address or a phone
    (the same rule as followups.services.customer_channel)."""
    return Q(**{f"{prefix}contact_consent": True}) & (~Q(**{f"{prefix}email": ""}) | ~Q(**{f"{prefix}phone": ""}))


def not_told_reason(customer: Customer) -> str:
    """Why this customer cannot be told what changed, or "" if they can (the same rule as
    `tellable_q`)."""
    if not customer.contact_consent:
        return NOT_TOLD_NO_CONSENT
    if customer_channel(customer) is None:
        return NOT_TOLD_NO_ADDRESS
    return ""


def told_when_done(customer: Customer) -> str:
    """What linking says about the customer hearing of the fix: true for this customer."""
    reason = not_told_reason(customer)
    if reason:
        return f"The customer will not be told what changed: {reason}."
    return "The customer hears what changed when it is done."


def links_elsewhere(action: CorrectiveAction | OuterRef, user: User) -> QuerySet[CorrectiveActionCase]:
    """The action's links to cases at locations the user does not work at: while there are
    any, the user may not change the action nor word its message (corrective/services.py).
    `action` may be an OuterRef, to ask it of every action in a query."""
    location_ids = location_ids_of(user)
    links = CorrectiveActionCase.objects.filter(action=action)  # type: ignore[misc]  # an OuterRef is a value too
    return links.none() if location_ids is None else links.exclude(case__location_id__in=location_ids)


@dataclass(frozen=True)
class ActionCases:
    rows: list[dict]  # the linked cases this user may see: {"link", "status"}
    elsewhere: int  # linked cases at locations the user does not work at
    to_tell: int  # customers who will be told when the action is done (all locations)


def action_cases(action: CorrectiveAction, user: User) -> ActionCases:
    """The action's linked cases for its page, each with its customer and how they heard."""
    links = CorrectiveActionCase.objects.filter(action=action)
    visible = list(
        links.filter(case__in=cases_visible_to(user))
        .select_related("case__customer", "case__location", "followup", "linked_by")
        .order_by("linked_at", "id")
    )
    counts = links.aggregate(total=Count("id"), to_tell=Count("id", filter=tellable_q()))
    rows = [{"link": link, "status": communication_status(link, action)} for link in visible]
    return ActionCases(rows, counts["total"] - len(visible), counts["to_tell"])


def message_preview(action: CorrectiveAction, user: User, text: str) -> dict[str, Any] | None:
    """The message as the first linked customer (of those this user may see) who will be
    told would read it, or None if none of them will be told."""
    link = (
        CorrectiveActionCase.objects.filter(action=action, case__in=cases_visible_to(user))
        .filter(tellable_q())
        .select_related("case__customer", "case__location")
        .order_by("linked_at", "id")
        .first()
    )
    if link is None:
        return None
    composed = compose_for(FollowUp(case=link.case, purpose=Purpose.CORRECTIVE_MESSAGE.value, body=text.strip()))
    return {"composed": composed, "case": link.case}


@dataclass(frozen=True)
class Communication:
    """How a linked customer heard (or will hear) of the fix."""

    label: str
    tone: str  # a Bootstrap colour: success, info, warning, danger, secondary
    when: datetime | None = None


COMMUNICATED = _("Corrective measure communicated")


def communication_status(link: CorrectiveActionCase, action: CorrectiveAction) -> Communication:
    if action.state == ActionState.CANCELLED.value:
        return Communication(gettext("Action cancelled: nobody is told"), "secondary")
    if action.state != ActionState.DONE.value:
        reason = not_told_reason(link.case.customer)
        if reason:
            return Communication(gettext("Will not be told: {reason}").format(reason=gettext(reason)), "warning")
        return Communication(gettext("The customer is told when the fix is done"), "info")
    followup = link.followup
    if followup is not None:
        if followup.state in (FollowUpState.SENT.value, FollowUpState.DONE.value):
            return Communication(str(COMMUNICATED), "success", followup.sent_at)
        if followup.state == FollowUpState.SCHEDULED.value:
            return Communication(gettext("Will be told"), "info", followup.due_at)
        if followup.state == FollowUpState.FAILED.value:
            error = followup.last_error or gettext("the message failed")
            return Communication(gettext("Could not be told: {error}").format(error=error), "danger")
        return Communication(gettext("Could not be told: the message was cancelled"), "warning")
    if link.not_told_reason:
        return Communication(gettext("Not told: {reason}").format(reason=gettext(link.not_told_reason)), "warning")
    return Communication(gettext("Not told"), "warning")


@dataclass(frozen=True)
class CompletionPlan:
    """Who marking the action done tells, and who it does not and why: the confirmation."""

    told: list[dict]  # {"case", "channel"}: by email or by text message
    not_told: list[dict]  # {"case", "reason"}
    expected: str  # the told cases' ids, so a confirmation made before a change is asked again


def completion_plan(action: CorrectiveAction) -> CompletionPlan:
    """Every linked customer (only someone who sees them all may complete the action), by
    the same rule `corrective_action_complete` applies."""
    links = action.links.select_related("case__customer", "case__location").order_by("linked_at", "id")
    told: list[dict[str, Any]] = []
    not_told: list[dict[str, Any]] = []
    for link in links:
        case = link.case
        reason = not_told_reason(case.customer)
        if reason:
            not_told.append({"case": case, "reason": gettext(reason)})
        else:
            # Told: not_told_reason found a channel (customer_channel), so it is not None here.
            channel = FollowUp.Channel(cast(str, customer_channel(case.customer))).label.lower()
            told.append({"case": case, "channel": channel})
    return CompletionPlan(told, not_told, ",".join(str(row["case"].pk) for row in told))


@dataclass(frozen=True)
class CorrectiveRow:
    """An action linked to the case, with how the case's customer heard (or will hear) of it."""

    link: CorrectiveActionCase
    action: CorrectiveAction
    status: Communication


@dataclass(frozen=True)
class CorrectivePanel:
    """What the case page shows of fixing the cause: the actions linked to the case, the open
    actions this user could link it to, and what the user may do here."""

    rows: list[CorrectiveRow]
    linkable: list[CorrectiveAction]
    can_link: bool
    can_add: bool


def corrective_panel(case: Case, user: User) -> CorrectivePanel:
    """The actions linked to the case with how its customer heard of each, and the open
    actions this user could link it to (none if they may not link)."""
    links = list(case.corrective_links.select_related("action__owner", "followup").order_by("linked_at", "id"))
    rows = [CorrectiveRow(link, link.action, communication_status(link, link.action)) for link in links]
    can_link = user.has_perm("corrective.change_correctiveaction")
    linkable: list[CorrectiveAction] = []
    if can_link:
        actions = actions_visible_to(user)
        if location_ids_of(user) is not None:
            # Not the actions with cases elsewhere: the user may not change those.
            actions = actions.exclude(Exists(links_elsewhere(OuterRef("pk"), user)))
        linkable = list(
            actions.filter(state__in=ACTIVE_VALUES)
            .filter(Q(location__isnull=True) | Q(location_id=case.location_id))
            .exclude(pk__in=[link.action_id for link in links])
            .order_by("due_date", "id")[:100]
        )
    return CorrectivePanel(
        rows=rows, linkable=linkable, can_link=can_link, can_add=user.has_perm("corrective.add_correctiveaction")
    )


def possible_owners(user: User) -> QuerySet[User]:
    """Who may be made responsible for an action: managers at the user's locations and owners
    (for an owner: every manager and owner; never an integration of the API). The service checks
    the choice fits the location."""
    people = User.objects.filter(is_active=True, is_integration=False)
    location_ids = location_ids_of(user)
    managers = Q(groups__name=Role.MANAGER)
    if location_ids is not None:
        managers &= Q(locations__in=location_ids)
    return people.filter(managers | Q(groups__name=Role.OWNER)).distinct().order_by("first_name", "last_name")
