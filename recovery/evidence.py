"""Evidence on a suggestion: how customers given the same did, in similar cases (no Django import).

"Of 214 similar cases in the last 12 months (same category and severity), customers
given a personal call came back 81% of the time (±5%), against 62% without."

- Similar cases: the same category and severity, logged in the last WINDOW_MONTHS
  months at the reader's locations; counted are those closed retained or lost.
- Each remedy kind of the option (a call from the manager or the owner as "a personal
  call") and the option's amount band (recovery/outcomes.py) is compared: the cases
  given it against the similar cases not given it.
- Small samples are shrunk toward the similar cases' overall rate with a Beta prior
  worth PRIOR_STRENGTH cases: the rate shown is the posterior mean
  (retained + s·m) / (n + s), m being the overall rate and s the strength.
- The interval is the Wilson score interval (95%) of those posterior counts: it stays
  within 0-100% and always contains the rate shown. It is close to the Beta posterior's
  central interval, and cheap enough for every suggestion on every case page.
- A group of fewer than MIN_CASES cases shows nothing.
"""

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.translatable import gettext_noop

from .outcomes import AMOUNT, APOLOGY_ONLY, CALLS, KIND, PERSONAL_CALL, amount_band, kinds_given

MIN_CASES = 30
PRIOR_STRENGTH = 20
Z = 1.96  # 95%
WINDOW_MONTHS = 12
# The words, in English and marked for translation: a page passes a translator
# (recovery/templatetags/remedies.py). A proposal keeps its phrases in English (to_json).
KIND_PHRASES = {
    PERSONAL_CALL: gettext_noop("given a personal call"),
    "manager_call": gettext_noop("given a call from the manager"),
    "owner_call": gettext_noop("given a call from the owner"),
    "handwritten_card": gettext_noop("given a handwritten card"),
    "full_refund": gettext_noop("given a full refund"),
    "partial_refund": gettext_noop("given a partial refund"),
    "discount": gettext_noop("given a discount"),
    "gift_card": gettext_noop("given a gift card"),
    "free_redo": gettext_noop("given a free redo or replacement"),
    "free_item": gettext_noop("given a free item or gift"),
    "reimbursement": gettext_noop("given their costs paid back"),
    "correction": gettext_noop("given the overcharge corrected"),
    APOLOGY_ONLY: gettext_noop("given an apology only"),
}
# (A "%" here is a percent sign, not a placeholder: the comments tell xgettext so.)
AMOUNT_PHRASES = {
    "none": gettext_noop("given nothing in money or kind"),
    # xgettext:no-python-format
    "below_60": gettext_noop("given below 60% of their loss"),
    # xgettext:no-python-format
    "60_120": gettext_noop("given 60–120% of their loss"),
    # xgettext:no-python-format
    "above_120": gettext_noop("given more than 120% of their loss"),
}
HEADING = gettext_noop("Of {similar} similar cases in the last {months} months (same category and severity)")
# xgettext:no-python-format
CAME_BACK = gettext_noop("customers {phrase} came back {percent}% of the time (±{margin}%)")
# xgettext:no-python-format
CAME_BACK_AGAINST = gettext_noop(
    "customers {phrase} came back {percent}% of the time (±{margin}%), against {others}% without"
)
Translate = Callable[[str], str]


def _as_it_is(text: str) -> str:
    return text


@dataclass(frozen=True)
class Tally:
    """Closed cases by outcome: retained and lost (an unknown outcome is not counted)."""

    retained: int = 0
    lost: int = 0

    @property
    def n(self) -> int:
        return self.retained + self.lost

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.retained + other.retained, self.lost + other.lost)

    def __sub__(self, other: "Tally") -> "Tally":
        return Tally(max(self.retained - other.retained, 0), max(self.lost - other.lost, 0))

    @property
    def rate(self) -> float | None:
        return self.retained / self.n if self.n else None


@dataclass(frozen=True)
class Estimate:
    """A rate (0-1) with its interval, from `n` cases."""

    rate: float
    low: float
    high: float
    n: int

    @property
    def percent(self) -> int:
        return round(self.rate * 100)

    @property
    def interval(self) -> str:
        """The interval in whole percent ("76–85%")."""
        return f"{round(self.low * 100)}–{round(self.high * 100)}%"

    @property
    def margin(self) -> int:
        """Half the interval's width, in percentage points (for "±5%")."""
        return round((self.high - self.low) * 50)


def wilson(successes: float, trials: float, z: float = Z) -> tuple[float, float]:
    """The Wilson score interval of successes/trials (trials > 0); it contains successes/trials."""
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    # The bounds hold p in exact arithmetic; floats can miss by a hair at 0 and 1.
    return max(0.0, min(centre - half, p)), min(1.0, max(centre + half, p))


def estimate(
    tally: Tally, prior: float, *, strength: float = PRIOR_STRENGTH, minimum: int = MIN_CASES, z: float = Z
) -> Estimate | None:
    """The retention rate of `tally` shrunk toward `prior` (0-1) with a Beta prior worth
    `strength` cases, and its interval; None below `minimum` cases."""
    if tally.n < max(minimum, 1):
        return None
    successes, trials = tally.retained + strength * prior, tally.n + strength
    low, high = wilson(successes, trials, z)
    return Estimate(successes / trials, low, high, tally.n)


@dataclass(frozen=True)
class Comparison:
    """Customers given something (`phrase`: "given a personal call") against those not."""

    phrase: str
    given: Estimate
    others: Estimate | None

    @property
    def sentence(self) -> str:
        return self.sentence_in()

    def sentence_in(self, translate: Translate = _as_it_is) -> str:
        """The comparison said, in English unless `translate` (gettext) says otherwise."""
        words = translate(CAME_BACK_AGAINST if self.others else CAME_BACK)
        return words.format(
            phrase=translate(self.phrase),
            percent=self.given.percent,
            margin=self.given.margin,
            others=self.others.percent if self.others else "",
        )


@dataclass(frozen=True)
class Evidence:
    """What similar cases say about one option. `similar`: the similar cases closed
    retained or lost; `comparisons`: only those with enough cases."""

    similar: int
    comparisons: tuple[Comparison, ...] = ()
    months: int = WINDOW_MONTHS
    minimum: int = MIN_CASES
    prior_strength: int = PRIOR_STRENGTH

    @property
    def heading(self) -> str:
        return self.heading_in()

    def heading_in(self, translate: Translate = _as_it_is) -> str:
        """What the comparisons are of, in English unless `translate` (gettext) says otherwise."""
        return translate(HEADING).format(similar=f"{self.similar:,}", months=self.months)

    def to_json(self) -> dict[str, Any]:
        def estimate_json(e: Estimate | None) -> dict[str, float | int] | None:
            return None if e is None else {"rate": e.rate, "low": e.low, "high": e.high, "n": e.n}

        return {
            "similar": self.similar,
            "months": self.months,
            "minimum": self.minimum,
            "prior_strength": self.prior_strength,
            "comparisons": [
                {"phrase": c.phrase, "given": estimate_json(c.given), "others": estimate_json(c.others)}
                for c in self.comparisons
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Evidence | None":
        """The evidence stored on a proposal (None if none was: proposals made before it was kept)."""
        if not data:
            return None

        def estimate(e: Mapping[str, Any]) -> Estimate:
            return Estimate(float(e["rate"]), float(e["low"]), float(e["high"]), int(e["n"]))

        def estimate_of(e: Mapping[str, Any] | None) -> Estimate | None:
            return None if not e else estimate(e)

        return cls(
            similar=int(data.get("similar", 0)),
            comparisons=tuple(
                Comparison(c["phrase"], estimate(c["given"]), estimate_of(c.get("others")))
                for c in data.get("comparisons", ())
                if c.get("given")
            ),
            months=int(data.get("months", WINDOW_MONTHS)),
            minimum=int(data.get("minimum", MIN_CASES)),
            prior_strength=int(data.get("prior_strength", PRIOR_STRENGTH)),
        )


def _kind_phrase(kind: str) -> str:
    return KIND_PHRASES.get(kind) or f"given {kind.replace('_', ' ')}"


def option_evidence(
    tallies: Mapping[tuple[str, str], Tally],
    *,
    kinds: Iterable[str],
    compensation: Decimal,
    loss: Decimal,
    minimum: int = MIN_CASES,
    strength: float = PRIOR_STRENGTH,
) -> Evidence:
    """The evidence for an option of these remedy kinds and this compensation, on a case
    whose customer lost `loss`, from the similar cases' tallies by (dimension, value)."""
    total = sum((t for (dimension, _), t in tallies.items() if dimension == AMOUNT), Tally())
    prior = total.rate if total.rate is not None else 0.5
    given = kinds_given(kinds)
    if PERSONAL_CALL in given:
        given -= CALLS  # one comparison for a call, whoever makes it
    keys = [(KIND, kind) for kind in sorted(given)] + [(AMOUNT, amount_band(compensation, loss))]
    comparisons = []
    for dimension, value in keys:
        with_it = tallies.get((dimension, value), Tally())
        found = estimate(with_it, prior, strength=strength, minimum=minimum)
        if found is None:
            continue
        phrase = _kind_phrase(value) if dimension == KIND else AMOUNT_PHRASES[value]
        others = estimate(total - with_it, prior, strength=strength, minimum=minimum)
        comparisons.append(Comparison(phrase, found, others))
    return Evidence(total.n, tuple(comparisons), minimum=minimum, prior_strength=int(strength))
