"""Reading the recovery side: the policy in force, proposals, budgets. Scoped by location."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.roles import location_ids_of

from .catalogue import catalogue_from_json
from .models import LedgerEntry, PolicyVersion, Proposal
from .policy import Policy, RemedyKind, RemedyType, Role


@dataclass(frozen=True)
class PolicyInForce:
    row: PolicyVersion
    policy: Policy
    catalogue: dict[RemedyKind, RemedyType]


def policy_in_force() -> PolicyInForce:
    row = PolicyVersion.objects.latest()
    return PolicyInForce(row, policy_from_row(row), catalogue_from_json(row.catalogue))


def policy_from_row(row: PolicyVersion) -> Policy:
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


def proposals_visible_to(user) -> QuerySet[Proposal]:
    location_ids = location_ids_of(user)
    proposals = Proposal.objects.all()
    return proposals if location_ids is None else proposals.filter(case__location_id__in=location_ids)


def approval_queue(user) -> QuerySet[Proposal]:
    """Pending proposals this user may decide: their locations, not their own, within their role."""
    from accounts.roles import Role as AccountRole
    from accounts.roles import role_of

    role = role_of(user)
    roles = [Role.MANAGER.value] if role is AccountRole.MANAGER else [Role.MANAGER.value, Role.OWNER.value]
    return (
        proposals_visible_to(user)
        .filter(state=Proposal.State.PENDING, approver_role__in=roles)
        .exclude(proposed_by=user)
        .select_related("case", "case__customer", "case__location", "proposed_by")
        .order_by("proposed_at", "id")
    )


def approval_queue_count(user) -> int:
    return approval_queue(user).count()


def proposal_get(user, pk: int) -> Proposal:
    return get_object_or_404(
        proposals_visible_to(user)
        .select_related("case", "case__customer", "case__location", "proposed_by", "decided_by", "policy")
        .prefetch_related("lines"),
        pk=pk,
    )
