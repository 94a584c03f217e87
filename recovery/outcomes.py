"""What was given on a case, sorted for learning from outcomes (no Django import).

A case's outcome (retained or lost on close, the satisfaction answer) is looked at
along three dimensions of what it was given, each a handful of values:

- `kind`: each remedy kind given (a call from the manager or the owner also counts
  as a "personal call"); a case given nothing beyond an apology is "apology_only".
- `amount`: the compensation given against what the customer lost (the price of what
  failed plus their own costs): none, below 60%, 60-120%, above 120%. A correction of
  an overcharge is owed, not compensation, so it is left out. Anything given when
  nothing was lost is above 120%.
- `contact`: how soon after logging the customer first heard from us.

The outcome roll-up (recovery.models.OutcomeRollup) keeps these counters a day, a
location, a category, a severity and a (dimension, value); the case list's filters
say the same in queries (dashboard/outcome_sets.py), and a test holds them equal.
"""

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from core.translatable import gettext_noop  # the labels are translated where shown

APOLOGY = "apology"
CORRECTION = "correction"
CALLS = frozenset({"manager_call", "owner_call"})
PERSONAL_CALL = "personal_call"
APOLOGY_ONLY = "apology_only"

KIND, AMOUNT, CONTACT = "kind", "amount", "contact"
DIMENSIONS = (KIND, AMOUNT, CONTACT)

# Bands of the compensation as a share of the loss: below 60%, 60-120% (both included),
# above 120%; the research's sweet spot is 60-120% (docs/recovery-policy.md). Compared in
# fifths, compensation * 5 against loss * 3 and loss * 6, so that the queries saying the
# same (dashboard/outcome_sets.py) compare whole multiples and agree at the edges.
LOW_FIFTHS, HIGH_FIFTHS = 3, 6
# (A "%" here is a percent sign, not a placeholder: the comments tell xgettext so.)
AMOUNT_BANDS = {
    "none": gettext_noop("Nothing in money or kind"),
    # xgettext:no-python-format
    "below_60": gettext_noop("Below 60% of the loss"),
    # xgettext:no-python-format
    "60_120": gettext_noop("60–120% of the loss"),
    # xgettext:no-python-format
    "above_120": gettext_noop("Above 120% of the loss"),
}
# Upper bounds in seconds, both included (as dashboard.facts.bucket_of counts durations).
HOUR, DAY = 3600, 86400
CONTACT_BANDS = {
    "within_1h": gettext_noop("Within an hour"),
    "within_day": gettext_noop("Within a day"),
    "later": gettext_noop("Later than a day"),
    "none": gettext_noop("Never contacted"),
}
KIND_LABELS = {
    PERSONAL_CALL: gettext_noop("A personal call (manager or owner)"),
    "manager_call": gettext_noop("Personal call from the manager"),
    "owner_call": gettext_noop("Personal call from the owner"),
    "handwritten_card": gettext_noop("Handwritten card"),
    "full_refund": gettext_noop("Full refund"),
    "partial_refund": gettext_noop("Partial refund"),
    "discount": gettext_noop("Discount on a future purchase"),
    "gift_card": gettext_noop("Gift card"),
    "free_redo": gettext_noop("Free redo or replacement"),
    "free_item": gettext_noop("A free item or gift"),
    "reimbursement": gettext_noop("Their costs paid back"),
    "correction": gettext_noop("Overcharge corrected"),
    APOLOGY_ONLY: gettext_noop("An apology only"),
}
LABELS = {KIND: KIND_LABELS, AMOUNT: AMOUNT_BANDS, CONTACT: CONTACT_BANDS}

# The counters of an outcome roll-up row. `closed` counts every closed case; retention is
# retained / (retained + lost): an unknown outcome says nothing either way.
FIELDS = ("cases", "closed", "retained", "lost", "answers", "rating_sum", "satisfied")
SATISFIED_FROM = 4  # a rating of 4 or 5 of 5


def amount_band(compensation: Decimal, loss: Decimal) -> str:
    """The band of `compensation` against `loss` (both not negative)."""
    if compensation <= 0:
        return "none"
    if compensation * 5 < loss * LOW_FIFTHS:
        return "below_60"
    if compensation * 5 <= loss * HIGH_FIFTHS:
        return "60_120"
    return "above_120"


def contact_band(seconds: float | None) -> str:
    """The band of the time to first contact (None: never contacted)."""
    if seconds is None:
        return "none"
    if seconds <= HOUR:
        return "within_1h"
    return "within_day" if seconds <= DAY else "later"


def kinds_given(kinds: Iterable[str]) -> set[str]:
    """The `kind` values of a case given remedies of these kinds (its granted lines)."""
    given = {kind for kind in kinds if kind != APOLOGY}
    if given & CALLS:
        given.add(PERSONAL_CALL)
    return given or {APOLOGY_ONLY}


def compensation(lines: Iterable[tuple[str, Decimal]]) -> Decimal:
    """What counts as compensation in (kind, face value) lines: all but a correction."""
    return sum((face for kind, face in lines if kind != CORRECTION), Decimal(0))


def case_outcome_counts(
    *,
    lines: Iterable[tuple[str, Decimal]],
    loss: Decimal,
    contact_seconds: float | None,
    closed: bool,
    outcome: str,
    rating: int | None,
) -> dict[tuple[str, str], Counter[str]]:
    """What one case adds to the outcome roll-up: the same counters under each
    (dimension, value) it falls in. `lines` are the (kind, face value) of its granted
    remedies; every case falls in exactly one amount band and one contact band."""
    lines = list(lines)
    counts = Counter(cases=1)
    if closed:
        counts["closed"] += 1
        if outcome in ("retained", "lost"):
            counts[outcome] += 1
    if rating is not None:
        counts["answers"] += 1
        counts["rating_sum"] += rating
        counts["satisfied"] += rating >= SATISFIED_FROM
    keys = [(AMOUNT, amount_band(compensation(lines), loss)), (CONTACT, contact_band(contact_seconds))]
    keys += [(KIND, kind) for kind in sorted(kinds_given(kind for kind, _ in lines))]
    return {key: Counter(counts) for key in keys}
