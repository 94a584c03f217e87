"""What staff can say to the customer for each option, in plain words (no Django import).

Beside the staff-facing reason on each line: an apology that names what went wrong on this
case (the failure, what they lost, the occasion, their time, their own costs, a repeat owned
as one), then what we will do and by when, one sentence a remedy. The engine
(recovery/suggestions.py) calls it."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from cases.severity import Lost, duration_words

from .policy import PricedLine, RemedyKind

K = RemedyKind
FAILURE = {
    "billing_error": "we charged you more than we should have",
    "product_quality": "what we gave you was not up to standard",
    "delay": "we kept you waiting",
    "defective_product": "what we sold you was faulty",
    "missed_appointment": "we missed your appointment",
    "staff_conduct": "you were not treated the way you should have been",
    "broken_promise": "we did not keep our promise to you",
}
SOMETHING = "we let you down"
LOST = {
    Lost.PART: "you did not get all of what you paid for",
    Lost.ALL: "you did not get what you paid for",
}
ORDINALS = {2: "second", 3: "third", 4: "fourth", 5: "fifth"}


def ordinal(n: int) -> str:
    """Which time: 3 is "third"."""
    return ORDINALS.get(n, f"{n}th")


@dataclass(frozen=True)
class SaidFacts:
    """What the words name about the case."""

    category: str
    lost: Lost = Lost.NONE
    occasion: bool = False
    minutes: int = 0
    costs: str = ""  # what their own costs were: "tow truck to the garage"
    times: int = 1  # which time in 90 days this is


def apology(facts: SaidFacts) -> str:
    """An apology that names the failure, and owns a repeat (a third 'sorry' alone is worse than none)."""
    said = f"I am sorry: {FAILURE.get(facts.category, SOMETHING)}"
    said += " when it mattered most to you." if facts.occasion else "."
    cost = []
    if facts.minutes > 0:
        cost.append(f"{duration_words(facts.minutes)} of your time")
    costs = facts.costs.strip().rstrip(".")
    if costs:
        cost.append(f"money of your own ({costs[0].lower()}{costs[1:]})")
    also = [LOST[facts.lost]] if facts.lost in LOST else []
    if cost:
        also.append("it cost you " + " and ".join(cost))
    if also:
        sentence = ", and ".join(also)
        said += f" {sentence[0].upper()}{sentence[1:]}."
    if facts.times > 1:
        said += (
            f" It has happened before: this is the {ordinal(facts.times)} time in three months, and that"
            " should not have happened. We are fixing the cause so that it does not happen again."
        )
    return said


def to_customer(lines: Sequence[PricedLine], *, facts: SaidFacts, hours: int, money: Callable[[Decimal], str]) -> str:
    """The words for one option: the apology, then each remedy as a promise with its amount and when."""
    said = [apology(facts)]
    for ln in lines:
        amount = money(ln.face_value)
        said.append(
            {
                K.CORRECTION: f"We are giving back the {amount} we overcharged, today.",
                K.REIMBURSEMENT: f"We will pay you back the {amount} it cost you, within {hours} hours.",
                K.FULL_REFUND: f"We are refunding you in full, {amount}, today.",
                K.PARTIAL_REFUND: f"We are refunding you {amount} today.",
                K.FREE_REDO: "We will put it right by doing it again or replacing it, free of charge: "
                "we will book it with you today.",
                K.FREE_ITEM: f"We would like to send you something worth {amount}, on us, within {hours} hours.",
                K.GIFT_CARD: f"We would like to give you a gift card for {amount} for your next visit, today.",
                K.DISCOUNT: f"We would like to take {amount} off your next visit.",
                K.MANAGER_CALL: f"Our manager will call you personally within {hours} hours.",
                K.OWNER_CALL: f"The owner will call you personally within {hours} hours.",
                K.HANDWRITTEN_CARD: "You will also get a note from us.",
            }.get(ln.kind, "")
        )
    if len(lines) == 1:  # the apology alone: the fix is the remedy
        said.append("We have put it right, and thank you for telling us.")
    return " ".join(s for s in said if s)
