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

from .policy import RemedyKind, StoredLine

ZERO = Decimal(0)


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


def totals_words(totals: Totals, money: Callable[[Decimal], str]) -> str:
    """Say it: "£5.00 compensation, costing us £5.00, and £18.00 owed back (the overcharge corrected):
    £23.00 to the customer in all"; without a correction, the first part alone."""
    words = f"{money(totals.compensation)} compensation, costing us {money(totals.compensation_cost)}"
    if totals.owed_back:
        words += (
            f", and {money(totals.owed_back)} owed back (the overcharge corrected):"
            f" {money(totals.to_customer)} to the customer in all"
        )
    return words
