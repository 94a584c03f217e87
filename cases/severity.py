"""How bad was it? The severity rule, in plain Python (no Django import).

The recovery app reuses this: the suggested remedy grows with the severity.

The rule adds points for each aggravating fact and maps the total to a level.
Every fact can only add points, so more harm never yields a lower severity.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum


class Severity(Enum):
    MINOR = "minor"
    MODERATE = "moderate"
    MAJOR = "major"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _ORDER.index(self)

    @property
    def label(self) -> str:
        return self.value.capitalize()

    def __lt__(self, other: "Severity") -> bool:
        return self.rank < other.rank

    def __le__(self, other: "Severity") -> bool:
        return self.rank <= other.rank


_ORDER = [Severity.MINOR, Severity.MODERATE, Severity.MAJOR, Severity.CRITICAL]


@dataclass(frozen=True)
class HarmFacts:
    """What happened to the customer, as plain values."""

    loss: Decimal = Decimal(0)  # what they paid for what failed
    hidden_costs: Decimal = Decimal(0)  # the tow truck, the missed meeting
    experience_ruined: bool = False  # the mistake spoiled the whole experience
    treated_poorly: bool = False  # rudeness, indifference: the customer was offended
    repeat_incident: bool = False  # the same customer was let down within 90 days


@dataclass(frozen=True)
class SeverityRule:
    """The thresholds, kept as data so an owner's policy can change them."""

    # (amount, points): the money at stake earns the points of the highest step it reaches
    money_steps: tuple[tuple[Decimal, int], ...] = (
        (Decimal(25), 1),
        (Decimal(150), 2),
        (Decimal(750), 3),
        (Decimal(3000), 4),
    )
    hidden_costs_points: int = 1
    experience_ruined_points: int = 2
    treated_poorly_points: int = 2
    repeat_points: int = 1
    # the lowest score for each level above minor
    moderate_from: int = 2
    major_from: int = 4
    critical_from: int = 6


@dataclass(frozen=True)
class SeverityAssessment:
    severity: Severity
    score: int
    facts: HarmFacts
    reasons: list[str] = field(default_factory=list)


DEFAULT_RULE = SeverityRule()


def _plain_money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def assess_severity(
    facts: HarmFacts, rule: SeverityRule = DEFAULT_RULE, money: Callable[[Decimal], str] = _plain_money
) -> SeverityAssessment:
    """Suggest a severity from the facts, with one plain reason per point scored (amounts
    written by `money`: the app passes its one money formatter)."""
    if facts.loss < 0 or facts.hidden_costs < 0:
        raise ValueError("Amounts cannot be negative.")
    score = 0
    reasons: list[str] = []
    at_stake = facts.loss + facts.hidden_costs
    money_points = max((points for amount, points in rule.money_steps if at_stake >= amount), default=0)
    if money_points:
        score += money_points
        reasons.append(f"{money(at_stake)} at stake for the customer (+{money_points})")
    if facts.hidden_costs > 0:
        score += rule.hidden_costs_points
        reasons.append(f"the customer had costs of their own (+{rule.hidden_costs_points})")
    if facts.experience_ruined:
        score += rule.experience_ruined_points
        reasons.append(f"the experience was ruined (+{rule.experience_ruined_points})")
    if facts.treated_poorly:
        score += rule.treated_poorly_points
        reasons.append(f"the customer was treated poorly (+{rule.treated_poorly_points})")
    if facts.repeat_incident:
        score += rule.repeat_points
        reasons.append(f"a repeat incident within 90 days (+{rule.repeat_points})")

    if score >= rule.critical_from:
        severity = Severity.CRITICAL
    elif score >= rule.major_from:
        severity = Severity.MAJOR
    elif score >= rule.moderate_from:
        severity = Severity.MODERATE
    else:
        severity = Severity.MINOR
    return SeverityAssessment(severity=severity, score=score, facts=facts, reasons=reasons)
