"""The life of a corrective action as data (no Django import).

An action is open when recorded, in progress once someone works on the fix,
and done when the fix is in place (which tells the linked customers what
changed). It may be cancelled while not done. Done and cancelled are final:
a message that went to customers cannot be taken back.
"""

from datetime import date
from enum import Enum

from core.translatable import gettext_noop  # the labels are translated where shown


class ActionState(Enum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """The state's name in English, marked for translation: the caller translates it."""
        return _LABELS[self]


_LABELS = {
    ActionState.OPEN: gettext_noop("Open"),
    ActionState.IN_PROGRESS: gettext_noop("In progress"),
    ActionState.DONE: gettext_noop("Done"),
    ActionState.CANCELLED: gettext_noop("Cancelled"),
}


TRANSITIONS: dict[ActionState, frozenset[ActionState]] = {
    ActionState.OPEN: frozenset({ActionState.IN_PROGRESS, ActionState.DONE, ActionState.CANCELLED}),
    ActionState.IN_PROGRESS: frozenset({ActionState.DONE, ActionState.CANCELLED}),
    ActionState.DONE: frozenset(),
    ActionState.CANCELLED: frozenset(),
}

# Still being worked on: cases can be linked, details changed, and it can be overdue.
ACTIVE_STATES = frozenset({ActionState.OPEN, ActionState.IN_PROGRESS})


class IllegalTransition(Exception):
    pass


def can_move(current: ActionState, target: ActionState) -> bool:
    return target in TRANSITIONS[current]


def check_transition(current: ActionState, target: ActionState) -> None:
    """Raise IllegalTransition unless `current` -> `target` is allowed."""
    if not can_move(current, target):
        raise IllegalTransition(
            f"A corrective action cannot move from {current.label.lower()} to {target.label.lower()}."
        )


def is_overdue(*, state: ActionState, due_date: date, today: date) -> bool:
    """Past its due date and not finished (done or cancelled actions are never overdue).

    `due_date` and `today` are dates; `today` is passed in so the rule needs no clock.
    """
    return state in ACTIVE_STATES and due_date < today
