"""The "What works" page: retention and satisfaction by what was given, how fast, and
severity, over a dashboard scope, from the outcome roll-up (one query).

Rates here are as observed, not shrunk (the page describes; the suggestions predict), each
with its Wilson 95% interval (recovery/evidence.py), and marked when fewer than
MIN_CASES cases stand behind them. Every count links to the case list of exactly its
cases (dashboard/outcome_sets.py says them in queries).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Sum
from django.utils.translation import gettext

from cases.models import SEVERITY_CHOICES
from cases.severity import Severity
from recovery import outcomes
from recovery.evidence import MIN_CASES, Estimate, Tally, estimate
from recovery.models import OutcomeRollup

from .pages import cases_url
from .selectors import Scope, rollup_rows


@dataclass(frozen=True)
class Link:
    count: int
    url: str


@dataclass(frozen=True)
class Row:
    """One group of cases: what they were given (or their severity) and how it went."""

    label: str
    cases: Link
    decided: Link  # closed retained or lost
    retained: Link
    retention: Estimate | None
    answers: Link
    satisfied: Link
    satisfaction: Estimate | None
    mean_rating: float | None

    @property
    def few(self) -> bool:
        return self.decided.count < MIN_CASES


def _observed(successes: int, trials: int) -> Estimate | None:
    return estimate(Tally(successes, trials - successes), 0.0, strength=0, minimum=1)


def _row(label: str, counts: dict, scope: Scope, **narrowing) -> Row:
    def link(figure: str, name: str) -> Link:
        return Link(counts.get(name, 0), cases_url(scope, figure, **narrowing))

    decided = counts.get("retained", 0) + counts.get("lost", 0)
    answers = counts.get("answers", 0)
    return Row(
        label=label,
        cases=link("", "cases"),
        decided=Link(decided, cases_url(scope, "outcome_known", **narrowing)),
        retained=link("retained", "retained"),
        retention=_observed(counts.get("retained", 0), decided),
        answers=link("answered", "answers"),
        satisfied=link("satisfied", "satisfied"),
        satisfaction=_observed(counts.get("satisfied", 0), answers),
        mean_rating=counts.get("rating_sum", 0) / answers if answers else None,
    )


def outcome_counts(scope: Scope) -> dict[tuple[str, str, str], dict]:
    """The scope's outcome counters by (severity, dimension, value), in one query."""
    rows = (
        rollup_rows(OutcomeRollup, scope)
        .values("severity", "dimension", "value")
        .annotate(**{name: Sum(name) for name in outcomes.FIELDS})
    )
    return {
        (row["severity"], row["dimension"], row["value"]): {name: row[name] or 0 for name in outcomes.FIELDS}
        for row in rows
    }


def what_works(scope: Scope) -> dict:
    """The page's tables: by remedy kind, amount band, speed of first contact and severity,
    and the whole scope."""
    by_value: dict[tuple[str, str], dict] = defaultdict(lambda: defaultdict(int))
    by_severity: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for (severity, dimension, value), counts in outcome_counts(scope).items():
        for name, n in counts.items():
            by_value[(dimension, value)][name] += n
            if dimension == outcomes.AMOUNT:  # every case is in one amount band: the amount rows are all cases
                by_severity[severity][name] += n
    total: dict = defaultdict(int)
    for counts in by_severity.values():
        for name, n in counts.items():
            total[name] += n
    filters = {outcomes.KIND: "given", outcomes.AMOUNT: "amount", outcomes.CONTACT: "contact"}
    tables = {
        dimension: [
            _row(gettext(label), by_value[(dimension, value)], scope, **{filters[dimension]: value})
            for value, label in outcomes.LABELS[dimension].items()
            if dimension != outcomes.KIND or by_value.get((dimension, value), {}).get("cases")
        ]
        for dimension in outcomes.DIMENSIONS
    }
    severity_labels = dict(SEVERITY_CHOICES)
    severities = [
        _row(str(severity_labels[severity.value]), by_severity.get(severity.value, {}), scope, severity=severity.value)
        for severity in Severity
        if not scope.severity or scope.severity == severity.value
    ]
    return {
        "total": _row(gettext("All cases"), total, scope),
        "by_kind": tables[outcomes.KIND],
        "by_amount": tables[outcomes.AMOUNT],
        "by_contact": tables[outcomes.CONTACT],
        "by_severity": severities,
        "minimum": MIN_CASES,
    }
