"""Reading the recovery side: the policy in force, proposals, budgets. Scoped by location."""

import copy as copy_module
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from django.db.models import Min, OuterRef, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from accounts.budgets import budget_in_force
from accounts.models import Location, User
from accounts.roles import location_ids_of, role_of
from accounts.selectors import working_calendar
from cases.models import Case
from cases.selectors import cases_visible_to
from cases.severity import REPEAT_WINDOW, Lost, Severity
from cases.states import Remedies, remedies_of
from core.languages import speaking
from core.money import format_money
from customers.models import Customer

from .catalogue import catalogue_from_json
from .evidence import Evidence
from .models import LedgerEntry, PolicyVersion, Proposal, ProposalLine
from .outcome_selectors import evidence_of_lines, similar_tallies
from .policy import BOUNDS, Policy, RemedyKind, RemedyType, Role, delivery_due, within_bounds
from .suggestions import Asker, CaseFacts, Option, suggest
from .words import Voice


@dataclass(frozen=True)
class PolicyInForce:
    row: PolicyVersion
    policy: Policy
    catalogue: dict[RemedyKind, RemedyType]


def policy_in_force() -> PolicyInForce:
    row = bounded(PolicyVersion.objects.latest())
    return PolicyInForce(row, policy_from_row(row), catalogue_from_json(row.catalogue))


def policy_from_row(row: PolicyVersion) -> Policy:
    """The version as the rules read it; `row` comes through `bounded` (policy_in_force), so
    a version stored before the bounds were checked is read within them."""
    return Policy(
        version=row.pk,
        generosity=row.generosity,
        gesture={
            "minor": row.gesture_minor,
            "moderate": row.gesture_moderate,
            "major": row.gesture_major,
            "critical": row.gesture_critical,
        },
        billing_gesture=row.billing_gesture,
        max_multiple_of_base=row.max_multiple_of_base,
        max_share_of_yearly_value=row.max_share_of_yearly_value,
        authority={Role.FRONTLINE: row.frontline_limit, Role.MANAGER: row.manager_limit, Role.OWNER: row.owner_limit},
        personal_call_within_hours=row.personal_call_within_hours,
        credit_multiple=row.credit_multiple,
        used_share=row.used_share,
        used_knee=row.used_knee,
        typical_yearly_value=row.typical_yearly_value,
        high_value_from=row.high_value_from,
        part_share=row.part_share,
        time_value_per_hour=row.time_value_per_hour,
        occasion_extra=row.occasion_extra,
    )


def bounded(row: PolicyVersion) -> PolicyVersion:
    """A copy of the version with every value within BOUNDS: what every reader of the policy uses."""
    copy = copy_module.copy(row)
    for name in BOUNDS:
        if name in row.__dict__:  # a deferred field stays deferred
            setattr(copy, name, within_bounds(name, getattr(row, name)))
    return copy


def deadlines_in_working_time() -> bool:
    """Whether the policy in force counts deadlines in the locations' working time."""
    return bool(PolicyVersion.objects.values_list("deadlines_in_working_time", flat=True).latest())


def delivery_deadline(row: PolicyVersion, location_id: int, approved_at: datetime) -> datetime:
    """When a remedy approved at `approved_at` at this location is due to reach the customer, by
    the policy version `row` (read through `bounded`): its hours, in the location's working time
    where it counts deadlines so (the calendar's two queries only then)."""
    calendar = working_calendar(location_id, row.deadlines_in_working_time)
    return delivery_due(approved_at, timedelta(hours=row.remedy_delivery_hours), calendar)


def next_delivery_due(case_id: int) -> datetime | None:
    """When the case's next remedy is due to reach the customer: the earliest deadline of its
    approvals not yet delivered in full (a proposal leaves `approved` once every line is
    delivered); None when there are none."""
    approved = Proposal.objects.filter(case_id=case_id, state=Proposal.State.APPROVED)
    return approved.order_by().aggregate(due=Min("deliver_by"))["due"]


def month_start(now: datetime | None = None) -> datetime:
    local = timezone.localtime(now or timezone.now())
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def budget_used(location_id: int, now: datetime | None = None) -> Decimal:
    """Cost of the compensation approved at a location this month (corrections are owed, not counted)."""
    used = LedgerEntry.objects.filter(
        location_id=location_id,
        entry=LedgerEntry.Entry.APPROVED,
        is_compensation=True,
        created_at__gte=month_start(now),
    ).aggregate(total=Sum("cost"))["total"]
    return used or Decimal(0)


def budget_left(location: Location, policy_row: PolicyVersion, now: datetime | None = None) -> Decimal:
    budget = budget_in_force(location.monthly_budget, policy_row.monthly_budget_per_location)
    return budget - budget_used(location.pk, now)


# A case holds what it has granted and what waits for approval: both count toward limits and caps.
HOLDING_STATES = [*Proposal.GRANTED_STATES, Proposal.State.PENDING.value]


@dataclass(frozen=True)
class MoneyOnCase:
    """Money a case already has granted (approved or delivered) or waiting for approval."""

    compensation: Decimal = Decimal(0)
    corrections: Decimal = Decimal(0)

    @property
    def total(self) -> Decimal:
        return self.compensation + self.corrections


def money_on_case(case_id: int, *, leaving_out: int | None = None) -> MoneyOnCase:
    """What the case holds in granted or pending proposals (but `leaving_out`, the proposal being
    decided): limits and the case cap weigh the case as a whole, not one proposal at a time."""
    lines = ProposalLine.objects.filter(proposal__case_id=case_id, proposal__state__in=HOLDING_STATES)
    if leaving_out is not None:
        lines = lines.exclude(proposal_id=leaving_out)
    correction = Q(kind=RemedyKind.CORRECTION.value)
    totals = lines.aggregate(
        compensation=Sum("face_value", filter=~correction), corrections=Sum("face_value", filter=correction)
    )
    return MoneyOnCase(totals["compensation"] or Decimal(0), totals["corrections"] or Decimal(0))


def policy_role(user: User) -> Role:
    return role_of(user) or Role.FRONTLINE


def asker_for(user: User, *, named: bool = True) -> Asker:
    """The user as the rules see them; `named`, their reasons say whose limit it is
    (a manager reads them in the queue), else "your" (the user reads them)."""
    return Asker(policy_role(user), user.authority_limit, name=str(user) if named else "")


# The case's columns the engine reads: a replay selects just these (`values()`, with
# `earlier_recoveries` annotated: `earlier_recoveries_of`), the case page has the Case.
FACT_FIELDS = (
    "category",
    "severity",
    "order_value",
    "hidden_costs",
    "hidden_costs_description",
    "lost",
    "time_lost_minutes",
    "occasion_mattered",
    "treated_poorly",
    "fixed_on_spot",
    "repeat_incident",
    "overcharge",
)


def earlier_recoveries_of(
    case_id: int | OuterRef | None, customer_id: int | OuterRef, created_at: datetime | OuterRef
) -> QuerySet[Case]:
    """The customer's other cases, at any location, in the 90 days before this one that got an
    apology or a remedy (every proposal granted starts with the apology). The arguments may be
    values or `OuterRef`s (the replay annotates every row with the count in the same query)."""
    return (
        Case.objects.filter(  # type: ignore[misc]  # an OuterRef is a lookup value too
            customer_id=customer_id,
            created_at__gte=created_at - REPEAT_WINDOW,
            created_at__lt=created_at,
            proposals__state__in=Proposal.GRANTED_STATES,
        )
        .exclude(pk=case_id)
        .order_by()  # a count: the cases' default order would only sort what is counted
    )


def earlier_recoveries(case: Case) -> int:
    """How many: one query; the count says nothing of where or what, so it is not scoped to the
    reader's locations. (A case with two granted proposals is one case: distinct.)"""
    return earlier_recoveries_of(case.pk, case.customer_id, case.created_at).values("pk").distinct().count()


def case_facts(case: Case | Mapping) -> CaseFacts:
    """The case as the engine sees it, from a Case or from a row of its FACT_FIELDS and
    `earlier_recoveries` (the replay's `values()`): one mapping for both, so a replay weighs a
    case exactly as its page did."""
    get: Callable[[str], Any] = case.__getitem__ if isinstance(case, Mapping) else partial(getattr, case)
    return CaseFacts(
        category=get("category"),
        severity=Severity(get("severity")),
        order_value=get("order_value"),
        hidden_costs=get("hidden_costs"),
        hidden_costs_description=get("hidden_costs_description"),
        lost=Lost(get("lost")),
        time_lost_minutes=get("time_lost_minutes"),
        occasion_mattered=get("occasion_mattered"),
        treated_poorly=get("treated_poorly"),
        fixed_on_spot=get("fixed_on_spot"),
        repeat_incident=get("repeat_incident"),
        overcharge=get("overcharge"),
        earlier_recoveries=get("earlier_recoveries") if isinstance(case, Mapping) else earlier_recoveries(case),
    )


def suggestions_for(
    case: Case, user: User, in_force: PolicyInForce | None = None, on_case: Decimal | None = None
) -> list[Option]:
    """The ranked options for this case as this user would grant them, under the policy in force,
    counting the money the case already has granted or waiting (`on_case`, read if not given):
    titles and reasons in the page's language, what to say in the customer's."""
    in_force = in_force or policy_in_force()
    return suggest(
        case_facts(case),
        asker=asker_for(user, named=False),
        yearly_value=case.customer.yearly_value,
        policy=in_force.policy.at_location(case.location.typical_yearly_value),
        catalogue=in_force.catalogue,
        budget_left=budget_left(case.location, in_force.row),
        money=format_money,
        on_case=money_on_case(case.pk).total if on_case is None else on_case,
        translate=gettext,
        customer=customer_voice(case.customer.language),
    )


def customer_voice(language: str) -> Voice:
    """How the words staff read out are said: in the customer's language, amounts as it writes them."""
    return Voice(speaking(language, gettext), speaking(language, format_money))


@dataclass(frozen=True)
class SuggestionCard:
    """One suggested option on the case page, beside the rejection of the same remedies if
    there was one (asking again is allowed, but not without seeing who said no and why) and
    what similar cases say about it."""

    option: Option
    rejected: Proposal | None
    evidence: Evidence


@dataclass(frozen=True)
class RecoveryPanel:
    """What the case page shows of the recovery: every proposal with its remedies, the
    suggestions while a remedy can be proposed (as cards), and the remedies the case's next
    steps depend on."""

    proposals: list[Proposal]
    suggestion_cards: list[SuggestionCard]
    remedies: Remedies

    @property
    def suggestions(self) -> list[Option]:
        return [card.option for card in self.suggestion_cards]


def recovery_panel(case: Case, user: User) -> RecoveryPanel:
    """The case's proposals (newest first, with their lines), and while a remedy can be
    proposed the ranked options for this user, each with its rejection and its evidence."""
    proposals = list(case.proposals.select_related("proposed_by", "decided_by").prefetch_related("lines"))
    # Once a remedy is agreed, the page shows it rather than more suggestions; a rejection brings them back.
    agreed = any(
        p.state in (Proposal.State.PENDING, Proposal.State.APPROVED, Proposal.State.DELIVERED) for p in proposals
    )
    can_propose = case.state in ("open", "in_recovery") and not agreed and user.has_perm("recovery.add_proposal")
    on_case = sum((ln.face_value for p in proposals if p.state in HOLDING_STATES for ln in p.lines.all()), Decimal(0))
    suggestions = suggestions_for(case, user, on_case=on_case) if can_propose else []
    # What similar cases say about each option: one query for them all, only when there are options.
    tallies = similar_tallies(case, user) if suggestions else {}
    return RecoveryPanel(
        proposals=proposals,
        suggestion_cards=[
            SuggestionCard(option, _rejection_of(option, proposals), evidence_of_lines(tallies, case, option.lines))
            for option in suggestions
        ],
        remedies=remedies_of(p.state for p in proposals),
    )


def _remedies_key(lines: Iterable[Any]) -> tuple[tuple[str, Decimal], ...]:
    return tuple(sorted((RemedyKind(line.kind).value, Decimal(line.face_value)) for line in lines))


def _rejection_of(option: Option, proposals: list[Proposal]) -> Proposal | None:
    """The latest rejected proposal of exactly these remedies and amounts (newest first)."""
    key = _remedies_key(option.lines)
    return next(
        (p for p in proposals if p.state == Proposal.State.REJECTED and _remedies_key(p.lines.all()) == key), None
    )


def proposals_visible_to(user: User) -> QuerySet[Proposal]:
    location_ids = location_ids_of(user)
    proposals = Proposal.objects.all()
    return proposals if location_ids is None else proposals.filter(case__location_id__in=location_ids)


def approval_queue(user: User) -> QuerySet[Proposal]:
    """Pending proposals this user may decide: their locations, not their own, within their role."""
    roles = [Role.MANAGER.value] if policy_role(user) is Role.MANAGER else [Role.MANAGER.value, Role.OWNER.value]
    return (
        proposals_visible_to(user)
        .filter(state=Proposal.State.PENDING, approver_role__in=roles)
        .exclude(proposed_by=user)
        .select_related("case", "case__customer", "case__location", "proposed_by")
        .order_by("proposed_at", "id")
    )


def approval_queue_count(user: User, *, cap: int | None = None) -> int:
    """How many wait for this user; with `cap`, counting stops there."""
    queue = approval_queue(user).order_by()
    return (queue[:cap] if cap else queue).count()


def proposal_get(user: User, pk: int) -> Proposal:
    return get_object_or_404(
        proposals_visible_to(user)
        .select_related("case", "case__customer", "case__location", "proposed_by", "decided_by", "policy")
        .prefetch_related("lines"),
        pk=pk,
    )


def remedies_given(customer: Customer, user: User, limit: int = 50) -> list[ProposalLine]:
    """Every remedy approved or delivered for this customer on the cases the user's locations
    hold (never what, how much or which gift card elsewhere), newest first, with its case."""
    return list(
        ProposalLine.objects.filter(
            proposal__case__customer=customer,
            proposal__case__in=cases_visible_to(user),
            proposal__state__in=Proposal.GRANTED_STATES,
        )
        .exclude(kind=RemedyKind.APOLOGY.value)
        .select_related("proposal", "proposal__case")
        .order_by("-proposal__decided_at", "-proposal__proposed_at", "position")[:limit]
    )
