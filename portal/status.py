"""What the customer's page says of their case, as a rule of its state and of what was
granted and delivered (no Django import): each sentence must be true of the case as it
is, so a case closed with nothing granted never promises "as soon as we have agreed".
"""

from dataclasses import dataclass

from core.translatable import gettext_noop  # the portal's selector translates these for the customer

OPEN = "open"
AGREEING = frozenset({"in_recovery", "awaiting_approval"})
DELIVERING = frozenset({"remedy_delivered", "following_up"})
CLOSED = "closed"

LOOKING = gettext_noop("Looking into it")
AGREEING_STEP = gettext_noop("Agreeing a remedy")
PUT_RIGHT = gettext_noop("Put right")
CLOSED_STEP = gettext_noop("Closed")

WILL_SHOW = gettext_noop("As soon as we have agreed how to put it right, you will see it here.")
CLOSED_WITHOUT_REMEDY = gettext_noop("We closed your case without a remedy to list here.")
DOING = gettext_noop("What we are doing to put it right")
DID = gettext_noop("What we did to put it right")
WHAT_WE_DID = gettext_noop("What we did")
IS_CLOSED = gettext_noop("Your case is closed")


@dataclass(frozen=True)
class Words:
    sentence: str  # where the case stands, one sentence
    steps: tuple[str, ...]  # the steps of this case's life, in order
    current: int  # the index in `steps` the case has reached
    remedies_heading: str
    no_remedies: str  # what the remedies section says when there are none


def status_words(*, state: str, granted: int, delivered: int) -> Words:
    """The words for a case in `state` with `granted` remedies approved or delivered, of
    which `delivered` are delivered. Raises ValueError for a state it does not know."""
    remedy_steps = (LOOKING, AGREEING_STEP, PUT_RIGHT, CLOSED_STEP)
    doing = DOING
    all_delivered = granted > 0 and delivered >= granted
    if state == CLOSED:
        if granted == 0:
            # Nothing was put right to show: no step claims it was.
            return Words(IS_CLOSED, (LOOKING, CLOSED_STEP), 1, WHAT_WE_DID, CLOSED_WITHOUT_REMEDY)
        return Words(IS_CLOSED, remedy_steps, 3, DID, "")
    if state == OPEN and granted == 0:
        return Words(gettext_noop("We are looking into what happened"), remedy_steps, 0, doing, WILL_SHOW)
    if state not in AGREEING | DELIVERING | {OPEN}:
        raise ValueError(f"Unknown case state: {state}")
    if all_delivered:
        return Words(gettext_noop("We have put it right"), remedy_steps, 2, DID, "")
    if granted > 0:
        return Words(gettext_noop("We are putting it right"), remedy_steps, 2, doing, "")
    # Not closed and nothing granted yet, whatever step staff moved the case to.
    return Words(gettext_noop("We are agreeing how to put it right"), remedy_steps, 1, doing, WILL_SHOW)
