"""Reading the dashboard: the roll-ups summed for a range and a scope, and the few
figures that depend on the moment (who is still in time, what is overdue) read live.

The number of queries is fixed: it does not grow with the cases, the days or the
locations. A range reads whole months from the month rows and the days at its ends
from the day rows (`periods.split`); charts drawn a day or a week a bar read day rows.
"""

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from accounts.budgets import budget_in_force
from accounts.models import Location, User
from accounts.roles import location_ids_of
from cases.models import Case
from recovery.models import PolicyVersion, Proposal, ProposalLine

from . import facts
from .case_sets import case_set_q
from .figures import Duration, Sla, Verdict, duration, pareto, sla, verdict
from .models import CaseRollup, CorrectiveRollup, Grain, RemedyRollup, RollupState, StaffRollup
from .periods import Grain as ChartGrain
from .periods import budget_for, grain_for, period_of, periods, split
from .rollups import local_midnight

# A roll-up model: dashboard's four and recovery's OutcomeRollup share no base with a manager.
RollupModel = Any


@dataclass(frozen=True)
class Scope:
    """What a dashboard shows: local days from `start` to `end` (both included), at these
    locations (None: all), of one category and one severity (empty: all). `location_id` is
    the one location asked for, if any (the case lists the figures link to narrow to it)."""

    start: date
    end: date
    location_ids: list[int] | None = None
    category: str = ""
    severity: str = ""
    location_id: int | None = None

    @property
    def cases_from(self) -> datetime:
        return local_midnight(self.start)

    @property
    def cases_to(self) -> datetime:
        return local_midnight(self.end + timedelta(days=1))


def scope_for(
    user: User, *, start: date, end: date, location: Location | None = None, category: str = "", severity: str = ""
) -> Scope:
    """The scope a person may see: their locations (owners: all), narrowed to one if asked."""
    allowed = location_ids_of(user)
    ids = allowed
    if location is not None:
        ids = [location.pk] if allowed is None or location.pk in allowed else []
    return Scope(
        start=start,
        end=end,
        location_ids=ids,
        category=category,
        severity=severity,
        location_id=location.pk if location is not None else None,
    )


def _keyed(rows: QuerySet, scope: Scope) -> QuerySet:
    if scope.location_ids is not None:
        rows = rows.filter(location_id__in=scope.location_ids)
    if scope.category:
        rows = rows.filter(category=scope.category)
    if scope.severity:
        rows = rows.filter(severity=scope.severity)
    return rows.order_by()


def _range_q(scope: Scope) -> Q:
    months, edges = split(scope.start, scope.end)
    q = Q(grain=Grain.MONTH, day__in=months) if months else Q(pk__in=[])
    for first, last in edges:
        q |= Q(grain=Grain.DAY, day__gte=first, day__lte=last)
    return q


def rollup_rows(model: RollupModel, scope: Scope, *, daily: bool = False, rows: QuerySet | None = None) -> QuerySet:
    """The roll-up rows that make up the scope (of `rows`, if given): month and day rows, or only day rows."""
    rows = model.objects.all() if rows is None else rows
    return _keyed(
        rows.filter(Q(grain=Grain.DAY, day__gte=scope.start, day__lte=scope.end) if daily else _range_q(scope)),
        scope,
    )


@functools.cache
def _summing(model: RollupModel, by: str, fields: tuple[str, ...]) -> QuerySet:
    # Built once and filtered afresh for each scope: adding 84 Sum()s to a query took the ORM
    # 7 ms a request, more than the database took to add them up.
    return model.objects.values(by).annotate(**{name: Sum(name) for name in fields})


def summed(model: RollupModel, scope: Scope, by: str, fields: Sequence[str]) -> QuerySet:
    """The scope's roll-up counters `fields` added up for each value of `by`."""
    return rollup_rows(model, scope, rows=_summing(model, by, tuple(fields)))


def _cases_in(scope: Scope) -> QuerySet[Case]:
    # Cases carry the roll-ups' keys under the same names.
    return _keyed(Case.objects.filter(created_at__gte=scope.cases_from, created_at__lt=scope.cases_to), scope)


@dataclass
class Series:
    grain: ChartGrain
    periods: list[date]
    by_category: dict[str, list[int]] = field(default_factory=dict)
    by_severity: dict[str, list[int]] = field(default_factory=dict)


def incidents_over_time(scope: Scope) -> tuple[Series, dict[str, int], dict[str, int]]:
    """Cases a period by category and by severity, and the totals of each (one query)."""
    grain = grain_for(scope.start, scope.end)
    starts = periods(scope.start, scope.end, grain)
    position = {first: index for index, first in enumerate(starts)}
    series = Series(grain, starts)
    categories: defaultdict[str, int] = defaultdict(int)
    severities: defaultdict[str, int] = defaultdict(int)
    rows = (
        rollup_rows(CaseRollup, scope, daily=grain is not ChartGrain.MONTH)
        .values("day", "category", "severity")
        .annotate(n=Sum("cases"))
    )
    for row in rows:
        index = position[period_of(max(row["day"], scope.start), grain)]
        for key, table, totals in (
            (row["category"], series.by_category, categories),
            (row["severity"], series.by_severity, severities),
        ):
            table.setdefault(key, [0] * len(starts))[index] += row["n"]
            totals[key] += row["n"]
    return series, dict(categories), dict(severities)


@dataclass(frozen=True)
class Live:
    """The figures that change with the clock, read live rather than from the roll-ups."""

    still_in_time: int  # not contacted yet, and the deadline has not passed
    undelivered: int  # cases with a remedy approved and not delivered (from the roll-ups)
    undelivered_overdue: int  # ... of them, past the policy's delivery time


@dataclass(frozen=True)
class LocationMoney:
    """What a location granted and delivered in the scope, against its budget for those days."""

    location_id: int
    name: str
    cases: int
    granted_face: Decimal
    granted_cost: Decimal
    delivered_face: Decimal
    delivered_cost: Decimal
    monthly_budget: Decimal
    budget: Decimal  # the monthly budget pro-rated to the scope's days


@dataclass(frozen=True)
class KindMoney:
    """One kind of remedy: how many and how much were granted and delivered (RemedyRollup)."""

    kind: str
    granted_count: int
    granted_face: Decimal
    granted_cost: Decimal
    delivered_count: int
    delivered_face: Decimal
    delivered_cost: Decimal


@dataclass(frozen=True)
class StaffRow:
    """One assignee's counters (StaffRollup), with the person (None: no longer a user)."""

    staff_id: int
    person: User | None
    cases: int
    contacted: int
    contact_seconds: int
    sla_on_time: int
    granted_cases: int
    on_the_spot: int


@dataclass(frozen=True)
class DashboardFigures:
    """Everything the dashboard shows for a scope, as dashboard/pages.py lays it out."""

    scope: Scope
    # The roll-up's counters summed over the scope, by name (facts.FIELDS: whole numbers, and
    # Decimals for facts.AMOUNTS); figures.py reads them by those names.
    totals: dict[str, Any]
    live: Live
    sla: Sla
    contact: Duration
    resolution: Duration
    approval: Duration
    verdict: Verdict
    series: Series
    categories: list[tuple[str, int, float]]  # (category, cases, cumulative share), largest first
    severities: dict[str, int]
    corrective: list[tuple[int, str, int]]  # (action id, title, cases)
    money_by_location: list[LocationMoney]
    money_by_kind: list[KindMoney]
    staff: list[StaffRow]
    updated_at: datetime | None  # when the roll-ups last looked at the timeline (None: not yet)


def _live(scope: Scope, now: datetime, undelivered: int) -> Live:
    """The figures that change with the clock: cases not contacted yet whose deadline has not
    passed, and which of the cases with a remedy not delivered (`undelivered`, from the
    roll-ups) are past their delivery time (`Proposal.deliver_by`, worked out at the approval
    by the rule the assignee's reminder is timed by: in working time where the policy says
    so). Both read small sets: cases not contacted (a partial index), and approvals whose
    deadline is still to come (another)."""
    waiting = {"proposal__state": Proposal.State.APPROVED.value, "delivered_at__isnull": True}
    late = ProposalLine.objects.filter(
        **waiting, proposal__case=OuterRef("proposal__case"), proposal__deliver_by__lt=now
    )
    in_time = (
        ProposalLine.objects.filter(**waiting, proposal__deliver_by__gte=now, proposal__case__in=_cases_in(scope))
        .exclude(Exists(late))
        .order_by()
        .values("proposal__case_id")
        .distinct()
        .count()
    )
    return Live(
        still_in_time=_cases_in(scope).filter(case_set_q("still_in_time", now)).count(),
        undelivered=undelivered,
        # The roll-ups may lag the last minute's approvals: never below none.
        undelivered_overdue=max(undelivered - in_time, 0),
    )


def budgets(location_ids: list[int] | None) -> dict[int, tuple[str, Decimal]]:
    """Each location's name and monthly budget (its own, else the policy's)."""
    default = PolicyVersion.objects.only("monthly_budget_per_location").latest().monthly_budget_per_location
    locations = Location.objects.filter(is_active=True)
    if location_ids is not None:
        locations = locations.filter(pk__in=location_ids)
    return {
        location.pk: (location.name, budget_in_force(location.monthly_budget, default))
        for location in locations.only("name", "monthly_budget").order_by("name")
    }


def corrective_pareto(scope: Scope, limit: int = 10) -> list[tuple[int, str, int]]:
    """The corrective actions linked to most of the scope's cases: (id, title, cases)."""
    rows = (
        rollup_rows(CorrectiveRollup, scope)
        .values("action_id", "action__title")
        .annotate(n=Sum("cases"))
        .order_by("-n", "action__title")[:limit]
    )
    return [(row["action_id"], row["action__title"], row["n"]) for row in rows]


def staff_rows(scope: Scope) -> list[StaffRow]:
    rows = list(summed(StaffRollup, scope, "staff_id", facts.STAFF_FIELDS).order_by("-cases", "staff_id"))
    people = User.objects.in_bulk([row["staff_id"] for row in rows])
    return [StaffRow(person=people.get(row["staff_id"]), **row) for row in rows]


def _money_by_location(scope: Scope, by_location: dict[int, dict[str, Any]]) -> list[LocationMoney]:
    """Each location in the scope (with or without cases): what it granted, against its budget."""
    empty: dict[str, Any] = {}
    return [
        LocationMoney(
            location_id=location_id,
            name=name,
            cases=by_location.get(location_id, empty).get("cases") or 0,
            **{name: by_location.get(location_id, empty).get(name) or Decimal(0) for name in facts.AMOUNTS},
            monthly_budget=monthly,
            budget=budget_for(monthly, scope.start, scope.end),
        )
        for location_id, (name, monthly) in budgets(scope.location_ids).items()
    ]


def dashboard_figures(scope: Scope, *, now: datetime | None = None) -> DashboardFigures:
    """Everything the dashboard shows for a scope."""
    now = now or timezone.now()
    # One query for the totals and each location's: a row a location, added up here.
    by_location = {row["location_id"]: row for row in summed(CaseRollup, scope, "location_id", facts.FIELDS)}
    totals = {name: sum(row[name] or 0 for row in by_location.values()) for name in facts.FIELDS}
    live = _live(scope, now, totals["undelivered"])
    series, categories, severities = incidents_over_time(scope)
    money_by_location = _money_by_location(scope, by_location)
    by_kind = summed(RemedyRollup, scope, "kind", facts.REMEDY_FIELDS).order_by("-granted_cost", "kind")
    state = RollupState.objects.filter(pk=1).values_list("scanned_to", flat=True).first()
    return DashboardFigures(
        scope=scope,
        totals=totals,
        live=live,
        sla=sla(totals, live.still_in_time),
        contact=duration(totals, "contact"),
        resolution=duration(totals, "resolution"),
        approval=duration(totals, "approval"),
        verdict=verdict(totals),
        series=series,
        categories=pareto(categories),
        severities=severities,
        corrective=corrective_pareto(scope),
        money_by_location=money_by_location,
        money_by_kind=[KindMoney(**row) for row in by_kind],
        staff=staff_rows(scope),
        updated_at=state,
    )
