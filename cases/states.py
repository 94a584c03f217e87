"""The life of a case as data: which state may follow which (no Django import).

A case is opened, worked on (in recovery), may wait for a manager's approval,
has its remedy delivered, is followed up, and is closed with an outcome.
A closed case can be reopened when the customer comes back about it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from core.translatable import gettext_noop


class State(Enum):
    OPEN = "open"
    IN_RECOVERY = "in_recovery"
    AWAITING_APPROVAL = "awaiting_approval"
    REMEDY_DELIVERED = "remedy_delivered"
    FOLLOWING_UP = "following_up"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        """In English, marked for translation: the app translates it where it is shown."""
        return _STATE_LABELS[self.value]


class Outcome(Enum):
    RETAINED = "retained"
    LOST = "lost"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        """In English, marked for translation: the app translates it where it is shown."""
        return _OUTCOME_LABELS[self.value]


_STATE_LABELS = {
    "open": gettext_noop("Open"),
    "in_recovery": gettext_noop("In recovery"),
    "awaiting_approval": gettext_noop("Awaiting approval"),
    "remedy_delivered": gettext_noop("Remedy delivered"),
    "following_up": gettext_noop("Following up"),
    "closed": gettext_noop("Closed"),
}
_OUTCOME_LABELS = {
    "retained": gettext_noop("Customer retained"),
    "lost": gettext_noop("Customer lost"),
    "unknown": gettext_noop("Unknown"),
}


TRANSITIONS: dict[State, frozenset[State]] = {
    State.OPEN: frozenset({State.IN_RECOVERY, State.AWAITING_APPROVAL, State.CLOSED}),
    State.IN_RECOVERY: frozenset({State.AWAITING_APPROVAL, State.REMEDY_DELIVERED, State.CLOSED}),
    # A rejection puts the case back where it was (open, or in recovery).
    State.AWAITING_APPROVAL: frozenset({State.OPEN, State.IN_RECOVERY, State.REMEDY_DELIVERED, State.CLOSED}),
    State.REMEDY_DELIVERED: frozenset({State.FOLLOWING_UP, State.CLOSED}),
    State.FOLLOWING_UP: frozenset({State.CLOSED}),
    State.CLOSED: frozenset({State.IN_RECOVERY}),
}

ACTIVE_STATES = frozenset(TRANSITIONS) - {State.CLOSED}


# Why a move is refused, in English: cases.services translates them for the person who tried.
NOTHING_AWAITS_APPROVAL = gettext_noop(
    "A case waits for approval only while a proposal does: propose a remedy instead."
)
DECISION_AWAITED = gettext_noop(
    "A proposal on this case is waiting for a decision: a manager or owner decides it first."
)
NOTHING_DELIVERED = gettext_noop(
    "No remedy has reached the customer yet: record its delivery under “Putting it right”."
)
CANNOT_MOVE = gettext_noop("A case cannot move from {current} to {target}.")
NEEDS_OUTCOME = gettext_noop("Choose the outcome (retained, lost or unknown) to close the case.")
OUTCOME_ONLY_WHEN_CLOSING = gettext_noop("Only closing a case records an outcome.")
REFUSALS = (
    NOTHING_AWAITS_APPROVAL,
    DECISION_AWAITED,
    NOTHING_DELIVERED,
    CANNOT_MOVE,
    NEEDS_OUTCOME,
    OUTCOME_ONLY_WHEN_CLOSING,
)


@dataclass(frozen=True)
class Remedies:
    """What has been decided about putting the case right, as far as its life depends on it."""

    awaiting_decision: bool = False  # a proposal waits for a manager or owner
    delivered: bool = False  # a remedy has reached the customer


NO_REMEDIES = Remedies()


class IllegalTransition(Exception):
    pass


def _refusal(current: State, target: State, remedies: Remedies) -> str | None:
    """Why the remedies forbid this move, if they do: a case's state follows what was decided."""
    if target is State.AWAITING_APPROVAL and not remedies.awaiting_decision:
        return NOTHING_AWAITS_APPROVAL
    if current is State.AWAITING_APPROVAL and remedies.awaiting_decision:
        return DECISION_AWAITED
    if target is State.REMEDY_DELIVERED and not remedies.delivered:
        return NOTHING_DELIVERED
    return None


def allowed_next(state: State, remedies: Remedies = NO_REMEDIES) -> list[State]:
    """The states a case may move to from `state` given its remedies, in the order of the case's life."""
    order = list(State)
    return sorted(
        (target for target in TRANSITIONS[state] if _refusal(state, target, remedies) is None), key=order.index
    )


def check_transition(current: State, target: State, outcome: Outcome | None, remedies: Remedies = NO_REMEDIES) -> None:
    """Raise IllegalTransition unless `current` -> `target` is allowed.

    Closing needs an outcome; no other move takes one. Only a proposal puts a case in
    waiting for approval and only its decision takes it out; "remedy delivered" needs a
    remedy delivered.
    """
    if target not in TRANSITIONS[current]:
        raise IllegalTransition(CANNOT_MOVE.format(current=current.label.lower(), target=target.label.lower()))
    refusal = _refusal(current, target, remedies)
    if refusal is not None:
        raise IllegalTransition(refusal)
    if target is State.CLOSED and outcome is None:
        raise IllegalTransition(NEEDS_OUTCOME)
    if target is not State.CLOSED and outcome is not None:
        raise IllegalTransition(OUTCOME_ONLY_WHEN_CLOSING)


def remedies_of(proposal_states: Iterable[str]) -> Remedies:
    """What the states of a case's proposals mean for its life. Proposals belong to the
    recovery app, a floor above: they are known here by their states' names only."""
    states = set(proposal_states)
    return Remedies(awaiting_decision="pending" in states, delivered="delivered" in states)
