"""What staff can say to the customer for each option, in plain words (no Django import).

Beside the staff-facing reason on each line: an apology that names what went wrong, then what
we will do and by when, one sentence a remedy. The engine (recovery/suggestions.py) calls it."""

from collections.abc import Callable
from decimal import Decimal

from .policy import RemedyKind

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


def apology(category: str, *, again: bool, spoiled: bool) -> str:
    """An apology that names the failure (and owns a repeat: a third 'sorry' alone is worse than none)."""
    said = f"I am sorry: {FAILURE.get(category, SOMETHING)}"
    if spoiled:
        said += ", and it spoiled it for you"
    if again:
        said += ". It has happened before, and that should not have happened again"
    return said + "."


def to_customer(
    lines, *, category: str, again: bool, spoiled: bool, hours: int, money: Callable[[Decimal], str]
) -> str:
    """The words for one option: the apology, then each remedy as a promise with its amount and when."""
    said = [apology(category, again=again, spoiled=spoiled)]
    for ln in lines:
        amount = money(ln.face_value)
        said.append(
            {
                K.CORRECTION: f"We are giving back the {amount} we overcharged, today.",
                K.REIMBURSEMENT: f"We will pay you back the {amount} it cost you.",
                K.FULL_REFUND: f"We are refunding you in full, {amount}, today.",
                K.PARTIAL_REFUND: f"We are refunding you {amount} today.",
                K.FREE_REDO: "We will put it right by doing it again or replacing it, free of charge.",
                K.FREE_ITEM: f"We would like to send you something worth {amount}, on us.",
                K.GIFT_CARD: f"We would like to give you a gift card for {amount} for your next visit.",
                K.DISCOUNT: f"We would like to take {amount} off your next visit.",
                K.MANAGER_CALL: f"Our manager will call you personally within {hours} hours.",
                K.OWNER_CALL: f"The owner will call you personally within {hours} hours, and we are fixing the cause.",
                K.HANDWRITTEN_CARD: "You will also get a note from us.",
            }.get(ln.kind, "")
        )
    if len(lines) == 1:  # the apology alone: the fix is the remedy
        said.append("We have put it right, and thank you for telling us.")
    return " ".join(s for s in said if s)
