"""How bad was it? The severity rule, in plain Python (no Django import).

The recovery app reuses this: the severity sets the least gesture and who calls, never a
multiple of the price (recovery/suggestions.py).

The rule adds points for each aggravating fact and maps the total to a level.
Every fact can only add points, so more harm never yields a lower severity.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from enum import Enum

from core.translatable import Translate, as_it_is, gettext_noop


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
        """In English, marked for translation: the app translates it where it is shown."""
        return _SEVERITY_LABELS[self.value]

    def __lt__(self, other: "Severity") -> bool:
        return self.rank < other.rank

    def __le__(self, other: "Severity") -> bool:
        return self.rank <= other.rank


# A case is a repeat incident when the same customer was let down within this long before.
REPEAT_WINDOW = timedelta(days=90)

_ORDER = [Severity.MINOR, Severity.MODERATE, Severity.MAJOR, Severity.CRITICAL]
_SEVERITY_LABELS = {
    "minor": gettext_noop("Minor"),
    "moderate": gettext_noop("Moderate"),
    "major": gettext_noop("Major"),
    "critical": gettext_noop("Critical"),
}


class Lost(Enum):
    """How much of what they paid for the customer did not get, from least to most."""

    NONE = "none"
    USED = "used"
    PART = "part"
    ALL = "all"

    @property
    def rank(self) -> int:
        return list(Lost).index(self)

    @property
    def label(self) -> str:
        return LOST_LABELS[self]


# In a frontline worker's words: the case form's radio buttons and the case page say these
# (in English here, translated where shown).
LOST_LABELS = {
    Lost.NONE: gettext_noop("Nothing: they still had what they paid for"),
    Lost.USED: gettext_noop("They used it despite the flaw"),
    Lost.PART: gettext_noop("Part of it"),
    Lost.ALL: gettext_noop("All of it: they did not get it or sent it back"),
}


@dataclass(frozen=True)
class HarmFacts:
    """What happened to the customer, as plain values."""

    loss: Decimal = Decimal(0)  # what they paid for what failed
    hidden_costs: Decimal = Decimal(0)  # the tow truck, the missed meeting
    lost: Lost = Lost.NONE  # how much of what they paid for they did not get
    time_lost_minutes: int = 0  # how much of their time it took
    occasion_mattered: bool = False  # a celebration, a flight, a meeting
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
    # Losing all of it weighs what the old "the experience was ruined" did; losing part, half that.
    lost_points: dict[str, int] = field(default_factory=lambda: {"none": 0, "used": 0, "part": 1, "all": 2})
    occasion_points: int = 1
    # Half a day of the customer's time is harm in itself, whatever the price.
    time_lost_from_minutes: int = 120
    time_lost_points: int = 1
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


def plain_money(amount: Decimal) -> str:
    """An amount with no currency, for the pure rules' own tests and tools (the app passes
    core.money.format_money)."""
    return f"{amount:,.2f}"


# Durations and reasons, marked for translation: built here in English (what the timeline keeps);
# a page shows them in its language with core.translatable.translate_filled(text, WORDS, gettext).
HOURS_AND_MINUTES = gettext_noop("{hours} hours {minutes} minutes")
ONE_HOUR_AND_MINUTES = gettext_noop("1 hour {minutes} minutes")
ONE_HOUR = gettext_noop("1 hour")
HOURS = gettext_noop("{hours} hours")
MINUTES = gettext_noop("{minutes} minutes")
AT_STAKE = gettext_noop("{amount} at stake for the customer (+{points})")
OWN_COSTS = gettext_noop("the customer had costs of their own (+{points})")
LOST_ALL = gettext_noop("they lost all of what they paid for (+{points})")
LOST_PART = gettext_noop("they lost part of what they paid for (+{points})")
OCCASION = gettext_noop("it was for an occasion or a deadline (+{points})")
TIME_LOST = gettext_noop("it cost them {spent} of their time (+{points})")
TREATED_POORLY = gettext_noop("the customer was treated poorly (+{points})")
REPEAT = gettext_noop("a repeat incident within 90 days (+{points})")
# In the order a filled text is matched against them: the longer duration before the shorter.
DURATIONS = (HOURS_AND_MINUTES, ONE_HOUR_AND_MINUTES, ONE_HOUR, HOURS, MINUTES)
WORDS = (AT_STAKE, OWN_COSTS, LOST_ALL, LOST_PART, OCCASION, TIME_LOST, TREATED_POORLY, REPEAT, *DURATIONS)


def duration_words(minutes: int, translate: Translate = as_it_is) -> str:
    """Minutes as people say them: 90 is "1 hour 30 minutes" (in English unless `translate`,
    gettext in a language, says otherwise)."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return translate(MINUTES).format(minutes=minutes)
    if hours == 1:
        return translate(ONE_HOUR_AND_MINUTES).format(minutes=rest) if rest else translate(ONE_HOUR)
    if rest:
        return translate(HOURS_AND_MINUTES).format(hours=hours, minutes=rest)
    return translate(HOURS).format(hours=hours)


def assess_severity(
    facts: HarmFacts, rule: SeverityRule = DEFAULT_RULE, money: Callable[[Decimal], str] = plain_money
) -> SeverityAssessment:
    """Suggest a severity from the facts, with one plain reason per point scored (amounts
    written by `money`: the app passes its one money formatter)."""
    if facts.loss < 0 or facts.hidden_costs < 0 or facts.time_lost_minutes < 0:
        raise ValueError("Amounts cannot be negative.")
    score = 0
    reasons: list[str] = []
    at_stake = facts.loss + facts.hidden_costs
    money_points = max((points for amount, points in rule.money_steps if at_stake >= amount), default=0)
    if money_points:
        score += money_points
        reasons.append(AT_STAKE.format(amount=money(at_stake), points=money_points))
    if facts.hidden_costs > 0:
        score += rule.hidden_costs_points
        reasons.append(OWN_COSTS.format(points=rule.hidden_costs_points))
    lost_points = rule.lost_points[facts.lost.value]
    if lost_points:
        reasons.append((LOST_ALL if facts.lost is Lost.ALL else LOST_PART).format(points=lost_points))
        score += lost_points
    if facts.occasion_mattered:
        score += rule.occasion_points
        reasons.append(OCCASION.format(points=rule.occasion_points))
    if facts.time_lost_minutes >= rule.time_lost_from_minutes:
        score += rule.time_lost_points
        spent = duration_words(facts.time_lost_minutes)
        reasons.append(TIME_LOST.format(spent=spent, points=rule.time_lost_points))
    if facts.treated_poorly:
        score += rule.treated_poorly_points
        reasons.append(TREATED_POORLY.format(points=rule.treated_poorly_points))
    if facts.repeat_incident:
        score += rule.repeat_points
        reasons.append(REPEAT.format(points=rule.repeat_points))

    if score >= rule.critical_from:
        severity = Severity.CRITICAL
    elif score >= rule.major_from:
        severity = Severity.MAJOR
    elif score >= rule.moderate_from:
        severity = Severity.MODERATE
    else:
        severity = Severity.MINOR
    return SeverityAssessment(severity=severity, score=score, facts=facts, reasons=reasons)
