"""What-if: the last months' cases replayed under a draft policy and under the one in force (no Django import).

Each case is suggested again as a frontline member of staff would see it, and its first option
is weighed: against the location's monthly budget (the cost, month by month in the order the
cases came), for approval, and against what was actually approved on the case. A replay never
writes: it returns a summary as plain JSON values, per location and for all of them.
"""

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median
from typing import Any

from accounts.budgets import budget_in_force
from cases.severity import Severity
from core.translatable import gettext_noop  # the page translates the names (views_replay.py)

from .approval_rules import plain_money
from .policy import Policy, RemedyKind, RemedyType, Role
from .suggestions import Asker, CaseFacts, Option, suggest

ZERO = Decimal(0)
LARGEST = 10  # differences listed, largest first
WORDS_ONLY = {RemedyKind.APOLOGY, RemedyKind.CORRECTION}  # a correction is owed, not a remedy
FRONTLINE = Asker(Role.FRONTLINE)
ALL = "all"
ALL_NAME = gettext_noop("All locations")  # kept in the result in English, translated when shown


@dataclass(frozen=True)
class ReplayCase:
    """A past case as a replay reads it."""

    case_id: int
    location_id: int
    month: str  # "2026-03": budgets are by calendar month
    facts: CaseFacts
    yearly_value: Decimal | None
    given: Decimal  # the compensation approved on it (0 when none was)


@dataclass(frozen=True)
class Location:
    name: str
    monthly_budget: Decimal | None = None  # None: the policy's
    typical_yearly_value: Decimal | None = None  # None: the policy's


@dataclass(frozen=True)
class Rules:
    """A policy to replay: its values, its catalogue and its budget for a location without its own."""

    policy: Policy
    catalogue: dict[RemedyKind, RemedyType]
    monthly_budget: Decimal


@dataclass
class _Tally:
    """One policy's figures over one scope (a location, or all of them)."""

    cases: int = 0
    compensation: Decimal = ZERO
    cost: Decimal = ZERO
    given: Decimal = ZERO
    approvals: Counter[str] = field(default_factory=Counter)
    words_only: int = 0
    differences: list[Decimal] = field(default_factory=list)
    largest: list[tuple[Decimal, int, dict[str, Any]]] = field(
        default_factory=list
    )  # a heap of (|difference|, -case id, row)

    def add(self, case: ReplayCase, suggested: Decimal, cost: Decimal, approver: Role | None, words_only: bool) -> None:
        """One case's first suggestion: its compensation, its cost, who would approve it."""
        difference = suggested - case.given
        self.cases += 1
        self.compensation += suggested
        self.cost += cost
        self.given += case.given
        if approver is not None:
            self.approvals[approver.value] += 1
        self.words_only += words_only
        self.differences.append(difference)
        key = (abs(difference), -case.case_id)
        if len(self.largest) == LARGEST and key <= self.largest[0][:2]:
            return  # not among the largest: its row is never built (a replay adds 400,000 of these)
        row = {
            "case_id": case.case_id,
            "suggested": str(suggested),
            "given": str(case.given),
            "difference": str(difference),
        }
        if len(self.largest) < LARGEST:
            heapq.heappush(self.largest, (*key, row))
        else:
            heapq.heapreplace(self.largest, (*key, row))

    def summary(self) -> dict[str, Any]:
        n = len(self.differences) or 1
        more = sum(1 for d in self.differences if d > 0)
        less = sum(1 for d in self.differences if d < 0)
        return {
            "cases": self.cases,
            "compensation": str(self.compensation),
            "cost": str(self.cost),
            "given": str(self.given),
            "approvals": {role.value: self.approvals[role.value] for role in (Role.MANAGER, Role.OWNER)},
            "words_only": self.words_only,
            "difference": {
                "total": str(self.compensation - self.given),
                "median": str(median(self.differences)) if self.differences else "0",
                "more": round(more / n, 4),
                "less": round(less / n, 4),
                "same": round((len(self.differences) - more - less) / n, 4),
            },
            "largest": [row for _, _, row in sorted(self.largest, key=lambda e: e[:2], reverse=True)],
        }


def words_only_from_moderate(facts: CaseFacts, options: list[Option]) -> bool:
    """An option of an apology alone (a correction aside) for harm of moderate or worse: the engine
    promises there is none."""
    return facts.severity >= Severity.MODERATE and any(
        all(line.kind in WORDS_ONLY for line in option.lines) for option in options
    )


def replay(cases: Iterable[ReplayCase], rules: dict[str, Rules], locations: dict[int, Location]) -> dict[str, Any]:
    """Every case suggested again under each of `rules` (e.g. "draft" and "in_force"), in one pass.

    `cases` come in the order they were logged, so the budget runs out month by month as it would
    have. Returns, for all locations and for each: per rule set, the cases, the compensation and
    its cost, how many would need a manager's or an owner's approval, how many would have been
    offered words alone at moderate or worse, and the difference from what was approved (total,
    median, shares more, less and the same, the largest); per location, the months over budget."""
    tallies: dict[str, dict[str, _Tally]] = {name: defaultdict(_Tally) for name in rules}
    spent: dict[str, dict[tuple[int, str], Decimal]] = {name: defaultdict(Decimal) for name in rules}
    at_location: dict[tuple[str, int], Policy] = {}
    for case in cases:
        place = locations.get(case.location_id, Location(name=str(case.location_id)))
        for name, rule in rules.items():
            key = (name, case.location_id)
            if key not in at_location:
                at_location[key] = rule.policy.at_location(place.typical_yearly_value)
            budget = _budget(rule, place)
            month = (case.location_id, case.month)
            options = suggest(
                case.facts,
                asker=FRONTLINE,
                yearly_value=case.yearly_value,
                policy=at_location[key],
                catalogue=rule.catalogue,
                budget_left=budget - spent[name][month],
                money=plain_money,
                words=False,
            )
            first = options[0]
            cost = first.cost
            spent[name][month] += cost
            words_only = words_only_from_moderate(case.facts, options)
            approver = first.approver if first.needs_approval else None
            for scope in (ALL, str(case.location_id)):
                tallies[name][scope].add(case, first.compensation, cost, approver, words_only)
    return _summarise(rules, tallies, spent, locations)


def _summarise(
    rules: dict[str, Rules],
    tallies: dict[str, dict[str, _Tally]],
    spent: dict[str, dict[tuple[int, str], Decimal]],
    locations: dict[int, Location],
) -> dict[str, Any]:
    scopes = sorted({scope for by_scope in tallies.values() for scope in by_scope}, key=lambda s: (s != ALL, s))
    result: dict[str, Any] = {}
    for scope in scopes:
        place = locations.get(int(scope)) if scope != ALL else None
        entry: dict[str, Any] = {"name": ALL_NAME if scope == ALL else (place.name if place else scope)}
        for name, rule in rules.items():
            summary = tallies[name][scope].summary()
            over = [
                (location_id, month, cost)
                for (location_id, month), cost in sorted(spent[name].items())
                if scope in (ALL, str(location_id)) and cost > _budget(rule, locations.get(location_id))
            ]
            summary["months_over"] = [
                {
                    "location": locations[location_id].name if location_id in locations else str(location_id),
                    "month": month,
                    "cost": str(cost),
                    "budget": str(_budget(rule, locations.get(location_id))),
                }
                for location_id, month, cost in over
            ]
            entry[name] = summary
        result[scope] = entry
    return result


def _budget(rule: Rules, place: Location | None) -> Decimal:
    return budget_in_force(place.monthly_budget if place else None, rule.monthly_budget)


# Each figure of a replay's summary (recovery/replay.py), as the page names (translated there) and shows it.
FIGURES = [
    (gettext_noop("Compensation suggested"), lambda s: s["compensation"], "money"),
    (gettext_noop("What it costs us"), lambda s: s["cost"], "money"),
    (gettext_noop("Approved at the time, on the same cases"), lambda s: s["given"], "money"),
    (gettext_noop("Months over budget"), lambda s: len(s["months_over"]), "count"),
    (gettext_noop("Would need a manager's approval"), lambda s: s["approvals"]["Manager"], "count"),
    (gettext_noop("Would need an owner's approval"), lambda s: s["approvals"]["Owner"], "count"),
    (gettext_noop("An apology alone, at moderate or worse"), lambda s: s["words_only"], "count"),
    (gettext_noop("Difference from what was approved, in all"), lambda s: s["difference"]["total"], "money"),
    (gettext_noop("Median difference a case"), lambda s: s["difference"]["median"], "money"),
    (gettext_noop("Cases suggested more"), lambda s: s["difference"]["more"], "share"),
    (gettext_noop("Cases suggested less"), lambda s: s["difference"]["less"], "share"),
    (gettext_noop("Cases suggested the same"), lambda s: s["difference"]["same"], "share"),
]
