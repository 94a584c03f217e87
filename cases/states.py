"""The life of a case as data: which state may follow which (no Django import).

A case is opened, worked on (in recovery), may wait for a manager's approval,
has its remedy delivered, is followed up, and is closed with an outcome.
A closed case can be reopened when the customer comes back about it.
"""

from enum import Enum


class State(Enum):
    OPEN = "open"
    IN_RECOVERY = "in_recovery"
    AWAITING_APPROVAL = "awaiting_approval"
    REMEDY_DELIVERED = "remedy_delivered"
    FOLLOWING_UP = "following_up"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Outcome(Enum):
    RETAINED = "retained"
    LOST = "lost"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {"retained": "Customer retained", "lost": "Customer lost", "unknown": "Unknown"}[self.value]


TRANSITIONS: dict[State, frozenset[State]] = {
    State.OPEN: frozenset({State.IN_RECOVERY, State.AWAITING_APPROVAL, State.CLOSED}),
    State.IN_RECOVERY: frozenset({State.AWAITING_APPROVAL, State.REMEDY_DELIVERED, State.CLOSED}),
    State.AWAITING_APPROVAL: frozenset({State.IN_RECOVERY, State.REMEDY_DELIVERED, State.CLOSED}),
    State.REMEDY_DELIVERED: frozenset({State.FOLLOWING_UP, State.CLOSED}),
    State.FOLLOWING_UP: frozenset({State.CLOSED}),
    State.CLOSED: frozenset({State.IN_RECOVERY}),
}

ACTIVE_STATES = frozenset(TRANSITIONS) - {State.CLOSED}


class IllegalTransition(Exception):
    pass


def allowed_next(state: State) -> list[State]:
    """The states a case may move to from `state`, in the order of the case's life."""
    order = list(State)
    return sorted(TRANSITIONS[state], key=order.index)


def check_transition(current: State, target: State, outcome: Outcome | None) -> None:
    """Raise IllegalTransition unless `current` -> `target` is allowed.

    Closing needs an outcome; no other move takes one.
    """
    if target not in TRANSITIONS[current]:
        raise IllegalTransition(f"A case cannot move from {current.label.lower()} to {target.label.lower()}.")
    if target is State.CLOSED and outcome is None:
        raise IllegalTransition("Choose the outcome (retained, lost or unknown) to close the case.")
    if target is not State.CLOSED and outcome is not None:
        raise IllegalTransition("Only closing a case records an outcome.")
