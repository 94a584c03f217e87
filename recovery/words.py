"""What staff can say to the customer for each option, in plain words (no Django import).

Beside the staff-facing reason on each line: an apology that names what went wrong on this
case (the failure, what they lost, the occasion, their time, their own costs, a repeat owned
as one), then what we will do and by when, one sentence a remedy. The engine
(recovery/suggestions.py) calls it.

The words are for the customer, so they are said in the customer's language: every sentence
is a whole template marked for translation (translators see "We are refunding you {amount}
today.", never pieces glued together), and `Voice` carries the customer's translations and how
their language writes an amount. English, as it is, by default."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from cases.severity import DURATIONS, Lost, duration_words, plain_money
from core.translatable import Translate, as_it_is, gettext_noop

from .policy import PricedLine, RemedyKind


@dataclass(frozen=True)
class Voice:
    """A language to say things in: its translations (gettext in that language) and how it
    writes an amount."""

    translate: Translate = as_it_is
    money: Callable[[Decimal], str] = plain_money


ENGLISH = Voice()

K = RemedyKind
FAILURE = {
    "billing_error": gettext_noop("we charged you more than we should have"),
    "product_quality": gettext_noop("what we gave you was not up to standard"),
    "delay": gettext_noop("we kept you waiting"),
    "defective_product": gettext_noop("what we sold you was faulty"),
    "missed_appointment": gettext_noop("we missed your appointment"),
    "staff_conduct": gettext_noop("you were not treated the way you should have been"),
    "broken_promise": gettext_noop("we did not keep our promise to you"),
}
SOMETHING = gettext_noop("we let you down")
SORRY = gettext_noop("I am sorry: {failure}.")
SORRY_ON_AN_OCCASION = gettext_noop("I am sorry: {failure} when it mattered most to you.")
LOST = {
    Lost.PART: gettext_noop("you did not get all of what you paid for"),
    Lost.ALL: gettext_noop("you did not get what you paid for"),
}
COST_TIME = gettext_noop("it cost you {time} of your time")
COST_MONEY = gettext_noop("it cost you money of your own ({costs})")
COST_TIME_AND_MONEY = gettext_noop("it cost you {time} of your time and money of your own ({costs})")
LOST_AND_COST = gettext_noop("{lost}, and {cost}")
REPEAT = gettext_noop(
    "It has happened before: this is the {ordinal} time in three months, and that should not have"
    " happened. We are fixing the cause so that it does not happen again."
)
ORDINALS = {
    2: gettext_noop("second"),
    3: gettext_noop("third"),
    4: gettext_noop("fourth"),
    5: gettext_noop("fifth"),
}
NTH = gettext_noop("{n}th")
PROMISES = {
    K.CORRECTION: gettext_noop("We are giving back the {amount} we overcharged, today."),
    K.REIMBURSEMENT: gettext_noop("We will pay you back the {amount} it cost you, within {hours} hours."),
    K.FULL_REFUND: gettext_noop("We are refunding you in full, {amount}, today."),
    K.PARTIAL_REFUND: gettext_noop("We are refunding you {amount} today."),
    K.FREE_REDO: gettext_noop(
        "We will put it right by doing it again or replacing it, free of charge: we will book it with you today."
    ),
    K.FREE_ITEM: gettext_noop("We would like to send you something worth {amount}, on us, within {hours} hours."),
    K.GIFT_CARD: gettext_noop("We would like to give you a gift card for {amount} for your next visit, today."),
    K.DISCOUNT: gettext_noop("We would like to take {amount} off your next visit."),
    K.MANAGER_CALL: gettext_noop("Our manager will call you personally within {hours} hours."),
    K.OWNER_CALL: gettext_noop("The owner will call you personally within {hours} hours."),
    K.HANDWRITTEN_CARD: gettext_noop("You will also get a note from us."),
}
PUT_RIGHT = gettext_noop("We have put it right, and thank you for telling us.")
# Every message the words are made of, the durations' too: customer-facing entries of the
# catalogue, translated in every language (tests/test_translations.py).
SAID = (
    *FAILURE.values(), SOMETHING, SORRY, SORRY_ON_AN_OCCASION, *LOST.values(), COST_TIME, COST_MONEY,
    COST_TIME_AND_MONEY, LOST_AND_COST, REPEAT, *ORDINALS.values(), NTH, *PROMISES.values(), PUT_RIGHT,
    *DURATIONS,
)  # fmt: skip


def ordinal(n: int, translate: Translate = as_it_is) -> str:
    """Which time: 3 is "third"."""
    return translate(ORDINALS[n]) if n in ORDINALS else translate(NTH).format(n=n)


@dataclass(frozen=True)
class SaidFacts:
    """What the words name about the case."""

    category: str
    lost: Lost = Lost.NONE
    occasion: bool = False
    minutes: int = 0
    costs: str = ""  # what their own costs were, in staff's words: "tow truck to the garage"
    times: int = 1  # which time in 90 days this is


def apology(facts: SaidFacts, translate: Translate = as_it_is) -> str:
    """An apology that names the failure, and owns a repeat (a third 'sorry' alone is worse than none)."""
    failure = translate(FAILURE.get(facts.category, SOMETHING))
    said = translate(SORRY_ON_AN_OCCASION if facts.occasion else SORRY).format(failure=failure)
    time = duration_words(facts.minutes, translate) if facts.minutes > 0 else ""
    costs = facts.costs.strip().rstrip(".")
    costs = costs[:1].lower() + costs[1:]
    cost = ""
    if time and costs:
        cost = translate(COST_TIME_AND_MONEY).format(time=time, costs=costs)
    elif time or costs:
        cost = translate(COST_TIME if time else COST_MONEY).format(time=time, costs=costs)
    lost = translate(LOST[facts.lost]) if facts.lost in LOST else ""
    sentence = translate(LOST_AND_COST).format(lost=lost, cost=cost) if lost and cost else lost or cost
    if sentence:
        said += f" {sentence[0].upper()}{sentence[1:]}."
    if facts.times > 1:
        said += " " + translate(REPEAT).format(ordinal=ordinal(facts.times, translate))
    return said


def to_customer(lines: Sequence[PricedLine], *, facts: SaidFacts, hours: int, voice: Voice = ENGLISH) -> str:
    """The words for one option, in `voice`: the apology, then each remedy as a promise with its
    amount and when."""
    said = [apology(facts, voice.translate)]
    for ln in lines:
        if ln.kind in PROMISES:
            said.append(voice.translate(PROMISES[ln.kind]).format(amount=voice.money(ln.face_value), hours=hours))
    if len(lines) == 1:  # the apology alone: the fix is the remedy
        said.append(voice.translate(PUT_RIGHT))
    return " ".join(said)
