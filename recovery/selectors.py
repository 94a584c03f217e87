"""Reading the recovery side: the policy in force, proposals, budgets. Scoped by location."""

import copy as copy_module
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.roles import location_ids_of, role_of
from cases.models import Case
from cases.severity import Severity
from core.money import format_money

from .catalogue import catalogue_from_json
from .models import LedgerEntry, PolicyVersion, Proposal
from .policy import BOUNDS, Policy, RemedyKind, RemedyType, Role, within_bounds
from .suggestions import Asker, CaseFacts, Option, suggest


@dataclass(frozen=True)
class PolicyInForce:
    row: PolicyVersion
    policy: Policy
    catalogue: dict[RemedyKind, RemedyType]


def policy_in_force() -> PolicyInForce:
    row = bounded(PolicyVersion.objects.latest())
    return PolicyInForce(row, policy_from_row(row), catalogue_from_json(row.catalogue))


def policy_from_row(row: PolicyVersion) -> Policy:
    """The version as the rules read it, each value within its bounds (a version stored before
    the bounds were checked may hold anything the column takes)."""
    row = bounded(row)
    return Policy(
        version=row.pk,
        generosity=row.generosity,
        partial_share={
            "minor": row.partial_share_minor,
            "moderate": row.partial_share_moderate,
            "major": row.partial_share_major,
            "critical": row.partial_share_critical,
        },
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
    )


def bounded(row: PolicyVersion) -> PolicyVersion:
    """A copy of the version with every value within BOUNDS: what every reader of the policy uses."""
    copy = copy_module.copy(row)
    for name in BOUNDS:
        if name in row.__dict__:  # a deferred field stays deferred
            setattr(copy, name, within_bounds(name, getattr(row, name)))
    return copy


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


def budget_left(location, policy_row: PolicyVersion, now: datetime | None = None) -> Decimal:
    budget = location.monthly_budget if location.monthly_budget is not None else policy_row.monthly_budget_per_location
    return budget - budget_used(location.pk, now)


def policy_role(user) -> Role:
    role = role_of(user)
    return Role(role.value) if role else Role.FRONTLINE


def asker_for(user) -> Asker:
    return Asker(policy_role(user), user.authority_limit)


def case_facts(case: Case) -> CaseFacts:
    return CaseFacts(
        category=case.category,
        severity=Severity(case.severity),
        order_value=case.order_value,
        hidden_costs=case.hidden_costs,
        hidden_costs_description=case.hidden_costs_description,
        experience_ruined=case.experience_ruined,
        treated_poorly=case.treated_poorly,
        repeat_incident=case.repeat_incident,
    )


def suggestions_for(case: Case, user, in_force: PolicyInForce | None = None) -> list[Option]:
    """The ranked options for this case as this user would grant them, under the policy in force."""
    in_force = in_force or policy_in_force()
    return suggest(
        case_facts(case),
        asker=asker_for(user),
        yearly_value=case.customer.yearly_value,
        policy=in_force.policy,
        catalogue=in_force.catalogue,
        budget_left=budget_left(case.location, in_force.row),
        money=format_money,
    )


def recovery_panel(case, user) -> dict:
    """What the case page shows of the recovery: the suggestions while a remedy can be
    proposed, and every proposal with its remedies."""
    proposals = list(case.proposals.select_related("proposed_by", "decided_by").prefetch_related("lines"))
    # Once a remedy is agreed, the page shows it rather than more suggestions; a rejection brings them back.
    agreed = any(
        p.state in (Proposal.State.PENDING, Proposal.State.APPROVED, Proposal.State.DELIVERED) for p in proposals
    )
    can_propose = case.state in ("open", "in_recovery") and not agreed and user.has_perm("recovery.add_proposal")
    return {
        "suggestions": suggestions_for(case, user) if can_propose else [],
        "proposals": proposals,
    }


def proposals_visible_to(user) -> QuerySet[Proposal]:
    location_ids = location_ids_of(user)
    proposals = Proposal.objects.all()
    return proposals if location_ids is None else proposals.filter(case__location_id__in=location_ids)


def approval_queue(user) -> QuerySet[Proposal]:
    """Pending proposals this user may decide: their locations, not their own, within their role."""
    roles = [Role.MANAGER.value] if policy_role(user) is Role.MANAGER else [Role.MANAGER.value, Role.OWNER.value]
    return (
        proposals_visible_to(user)
        .filter(state=Proposal.State.PENDING, approver_role__in=roles)
        .exclude(proposed_by=user)
        .select_related("case", "case__customer", "case__location", "proposed_by")
        .order_by("proposed_at", "id")
    )


def approval_queue_count(user, *, cap: int | None = None) -> int:
    """How many wait for this user; with `cap`, counting stops there."""
    queue = approval_queue(user).order_by()
    return (queue[:cap] if cap else queue).count()


def proposal_get(user, pk: int) -> Proposal:
    return get_object_or_404(
        proposals_visible_to(user)
        .select_related("case", "case__customer", "case__location", "proposed_by", "decided_by", "policy")
        .prefetch_related("lines"),
        pk=pk,
    )


def remedies_given(customer, limit: int = 50):
    """Every remedy approved or delivered for this customer, newest first, with its case."""
    from .models import ProposalLine

    return list(
        ProposalLine.objects.filter(
            proposal__case__customer=customer,
            proposal__state__in=Proposal.GRANTED_STATES,
        )
        .exclude(kind=RemedyKind.APOLOGY.value)
        .select_related("proposal", "proposal__case")
        .order_by("-proposal__decided_at", "-proposal__proposed_at", "position")[:limit]
    )
