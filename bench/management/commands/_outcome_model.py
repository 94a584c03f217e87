"""The seeds' made-up outcomes: whether a customer stayed, and what they answered (no Django import).

SYNTHETIC. Nothing here was measured, and nothing in the app reads it: it is how
`seed_demo` and `seed_bench` decide what became of the customers of the cases they
make, so that the evidence shown on suggestions and the "What works" page have
something to find in demo and bench data. It follows the direction of the research in
../shared/DOMAIN.md, with sizes of our own choosing (docs/performance.md shows the rates it gives):

- money given in proportion to the loss raises the chance of keeping the customer, most
  per pound between 60% and 120% of the loss (Gelbrich, Gäthke & Grégoire 2015); past
  150% it does no better, and a little worse (Haesevoets et al. 2017);
- a personal call from the manager or the owner helps; after major or critical harm, or
  when the customer was treated poorly, it is owed, and its absence hurts (Gelbrich &
  Roschk 2011);
- a fast first contact helps (TARP: 82% stay when satisfied quickly, 54% when satisfied);
  never contacting them hurts;
- the chance falls with severity and with a repeat incident; an apology and nothing else
  helps a minor slip but, from moderate harm up, does worse than saying nothing
  (Halperin, Ho, List & Muir 2022).

One latent satisfaction per case: the `score` of how it was handled plus logistic noise.
The customer stays when it is above zero (so the chance is the logistic of the score);
their rating and whether they say they will come back read the same latent with a little
noise of their own, so answers follow the same way as outcomes. A fixed share of outcomes
stays unknown whatever was done. Draws come from the `random.Random` passed in: the same
seed makes the same outcomes.
"""

import math
from bisect import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from random import Random
from typing import Any

from recovery.policy import RemedyKind

SEVERITY = {"minor": 0.0, "moderate": -0.5, "major": -1.0, "critical": -1.6}
SERIOUS = frozenset({"moderate", "major", "critical"})  # where words alone are not enough
CALL_MATTERS = frozenset({"major", "critical"})  # ... and where a personal call is owed
APOLOGY = RemedyKind.APOLOGY.value
CALLS = frozenset({RemedyKind.MANAGER_CALL.value, RemedyKind.OWNER_CALL.value})
BASE = 0.9  # a minor slip, nothing done, contacted within the day: about seven in ten stay
REPEAT = -0.6
POOR_TREATMENT = -0.4
CALL = 0.3
NO_CALL_WHEN_OWED = -0.6  # after major harm or poor treatment: a call weighs 0.9 there
APOLOGY_WITH_MORE = 0.3  # compensation with an apology beats compensation alone (Customer Rage Study)
APOLOGY_ALONE_MINOR = 0.3
APOLOGY_ALONE_SERIOUS = -0.35
# What the money does, by the share of the loss given (straight lines between the points,
# flat past the last): steepest from 60% to 120%, flat to 150%, then down to no better than 100%.
MONEY = ((0.0, 0.0), (0.6, 0.5), (1.2, 1.4), (1.5, 1.45), (2.0, 1.05))
LOSS_FLOOR = 10.0  # a gesture for a failure that cost the customer nothing is weighed against £10
# The first contact: +0.6 at once, falling with the log of the hours, down to -0.4; never: -0.5.
FAST = 0.6
SLOWING = 0.22
SLOWEST = -0.4
NEVER_CONTACTED = -0.5
UNKNOWN_SHARE = 0.2  # closed with no word of the customer since, whatever was done
# Rating 1-5 from the latent: the cut points, and the spread of the rating's own noise.
RATING_CUTS = (-1.5, -0.3, 1.0, 2.5)
RATING_NOISE = 0.8
WILL_RETURN_CUTS = (-1.0, 0.3)  # below: "no", between: "not sure", above: "yes"
WILL_RETURN = ("no", "not_sure", "yes")


@dataclass(frozen=True, slots=True)
class Handling:
    """How a closed case was handled, as the outcome depends on it."""

    severity: str  # "minor", "moderate", "major" or "critical"
    loss: float  # what the customer lost: the price of what failed and their own costs
    given: float  # money's worth that reached them for it: compensation and corrections
    apologised: bool  # an apology reached them
    personal_call: bool  # the manager or the owner called them
    contact_hours: float | None  # from logging to the first contact; None: never contacted
    repeat: bool = False
    treated_poorly: bool = False

    @classmethod
    def of(
        cls, *, severity: str, loss: Decimal | float, delivered: Iterable[tuple[str, Decimal | float]], **facts: Any
    ) -> "Handling":
        """From the (kind, face value) of each remedy that reached the customer."""
        given, apologised, called = 0.0, False, False
        for kind, face_value in delivered:
            given += float(face_value)
            apologised = apologised or kind == APOLOGY
            called = called or kind in CALLS
        return cls(severity, float(loss), given, apologised, called, **facts)


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: str  # "retained", "lost" or "unknown"
    rating: int  # 1-5, if they answer the satisfaction check
    will_return: str  # "yes", "not_sure" or "no", likewise


# Each segment of MONEY as (its end, its start, the value there, the slope): a million calls in seed_bench.
_SEGMENTS = tuple((x1, x0, y0, (y1 - y0) / (x1 - x0)) for (x0, y0), (x1, y1) in zip(MONEY, MONEY[1:], strict=False))


def money_effect(share: float) -> float:
    """What giving `share` of the loss adds to the score."""
    for end, start, value, slope in _SEGMENTS:
        if share <= end:
            return value + slope * (share - start)
    return MONEY[-1][1]


def speed_effect(hours: float | None) -> float:
    """What the time to the first contact adds to the score."""
    if hours is None:
        return NEVER_CONTACTED
    return max(FAST - SLOWING * math.log1p(max(hours, 0.0)), SLOWEST)


def score(handling: Handling) -> float:
    """How well the case was handled, on the scale of the log-odds of keeping the customer."""
    h = handling
    total = BASE + SEVERITY[h.severity] + speed_effect(h.contact_hours)
    total += money_effect(h.given / max(h.loss, LOSS_FLOOR))
    if h.repeat:
        total += REPEAT
    if h.treated_poorly:
        total += POOR_TREATMENT
    if h.personal_call:
        total += CALL
    elif h.severity in CALL_MATTERS or h.treated_poorly:
        total += NO_CALL_WHEN_OWED
    if h.apologised:
        if h.given > 0 or h.personal_call:
            total += APOLOGY_WITH_MORE
        else:
            total += APOLOGY_ALONE_SERIOUS if h.severity in SERIOUS else APOLOGY_ALONE_MINOR
    return total


def retention(handling: Handling) -> float:
    """The chance that a customer whose outcome is known stays."""
    return 1 / (1 + math.exp(-score(handling)))


def _logistic_noise(rng: Random) -> float:
    u = rng.random() or 1e-12  # in [0, 1): only 0 needs keeping off
    return math.log(u / (1 - u))


def judge(handling: Handling, rng: Random) -> Verdict:
    """What became of the customer, and what they would answer: three draws from `rng`."""
    unknown = rng.random() < UNKNOWN_SHARE
    latent = score(handling) + _logistic_noise(rng)
    said = latent + RATING_NOISE * _logistic_noise(rng)
    outcome = "unknown" if unknown else ("retained" if latent > 0 else "lost")
    return Verdict(outcome, 1 + bisect(RATING_CUTS, said), WILL_RETURN[bisect(WILL_RETURN_CUTS, said)])
