"""What a remedy adds up to, said the same way everywhere (no Django import).

Three amounts, kept apart because they mean different things: the compensation (what counts
against limits, caps and budgets), what that compensation costs us (a gift card costs less
than its face value), and what is owed back (a correction of an overcharge: the customer's own
money, not compensation and not a cost). The customer gets the compensation and what is owed
back; the sentence says each and their sum, so the figures add up on the page.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from core.translatable import Translate, as_it_is, gettext_noop

from .policy import RemedyKind, StoredLine

ZERO = Decimal(0)
# The sentence, in English and marked for translation: a page passes a translator
# (recovery/templatetags/remedies.py); the timeline keeps it in English.
COMPENSATION_WORDS = gettext_noop("{compensation} compensation, costing us {cost}")
WITH_OWED_BACK_WORDS = gettext_noop(
    "{compensation} compensation, costing us {cost}, and {owed} owed back (the overcharge corrected):"
    " {total} to the customer in all"
)


@dataclass(frozen=True)
class Totals:
    compensation: Decimal
    compensation_cost: Decimal
    owed_back: Decimal = ZERO

    @property
    def to_customer(self) -> Decimal:
        return self.compensation + self.owed_back


def totals_of(lines: Iterable[StoredLine]) -> Totals:
    """The totals of remedy lines (each with `kind`, `face_value` and `cost`)."""
    compensation = cost = owed = ZERO
    for line in lines:
        if RemedyKind(line.kind) is RemedyKind.CORRECTION:
            owed += line.face_value
        else:
            compensation += line.face_value
            cost += line.cost
    return Totals(compensation, cost, owed)


def totals_words(totals: Totals, money: Callable[[Decimal], str], translate: Translate = as_it_is) -> str:
    """Say it: "£5.00 compensation, costing us £5.00, and £18.00 owed back (the overcharge corrected):
    £23.00 to the customer in all"; without a correction, the first part alone. In English unless
    `translate` (gettext) says otherwise."""
    words = translate(WITH_OWED_BACK_WORDS if totals.owed_back else COMPENSATION_WORDS)
    return words.format(
        compensation=money(totals.compensation),
        cost=money(totals.compensation_cost),
        owed=money(totals.owed_back),
        total=money(totals.to_customer),
    )
