"""The life of a follow-up as data (no Django import).

A follow-up is scheduled; a worker claims it for a while (a lease, renewed while
the worker works) and sends it; it may be marked done by staff, fail (refused for
good, or still not sent a day after it first failed: followups/retries.py), or be
cancelled when it no longer applies.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from core.translatable import gettext_noop


class FollowUpState(Enum):
    SCHEDULED = "scheduled"
    SENT = "sent"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """In English, marked for translation: the caller translates it where it is shown."""
        return LABELS[self]


LABELS = {
    FollowUpState.SCHEDULED: gettext_noop("Scheduled"),
    FollowUpState.SENT: gettext_noop("Sent"),
    FollowUpState.DONE: gettext_noop("Done"),
    FollowUpState.FAILED: gettext_noop("Failed"),
    FollowUpState.CANCELLED: gettext_noop("Cancelled"),
}


TRANSITIONS: dict[FollowUpState, frozenset[FollowUpState]] = {
    FollowUpState.SCHEDULED: frozenset(
        {FollowUpState.SENT, FollowUpState.DONE, FollowUpState.FAILED, FollowUpState.CANCELLED}
    ),
    # A message sent may come back: the receiving server's bounce marks it failed after all.
    FollowUpState.SENT: frozenset({FollowUpState.DONE, FollowUpState.FAILED}),
    FollowUpState.DONE: frozenset(),
    # A manager may try again, or decide it no longer applies.
    FollowUpState.FAILED: frozenset({FollowUpState.SCHEDULED, FollowUpState.CANCELLED}),
    FollowUpState.CANCELLED: frozenset(),
}


def can_move(current: FollowUpState, target: FollowUpState) -> bool:
    return target in TRANSITIONS[current]


def claimable(*, state: FollowUpState, due_at: datetime, claimed_until: datetime | None, now: datetime) -> bool:
    """Due, still scheduled, and not leased to a live worker (nor held back after a failure:
    the lease doubles as "not before"). Claims are not counted: only sends tried are."""
    lease_free = claimed_until is None or claimed_until <= now
    return state is FollowUpState.SCHEDULED and due_at <= now and lease_free


@dataclass(frozen=True)
class Look:
    """How a list shows a follow-up at a glance: a Bootstrap icon and the words it stands for
    (in English, marked for translation: the template tag translates them)."""

    icon: str
    words: str


LOOKS = {
    FollowUpState.SENT: Look("bi-send-check", gettext_noop("Sent")),
    FollowUpState.DONE: Look("bi-check-circle", gettext_noop("Done")),
    FollowUpState.FAILED: Look("bi-exclamation-triangle", gettext_noop("Could not be sent")),
    FollowUpState.CANCELLED: Look("bi-slash-circle", gettext_noop("Cancelled")),
}
SCHEDULED_LOOK = Look("bi-clock", gettext_noop("Scheduled"))
DUE_LOOK = Look("bi-hourglass-split", gettext_noop("Due now"))


def look(*, state: FollowUpState, due_at: datetime, now: datetime) -> Look:
    """The icon follows the follow-up's state, never its kind: an escalation planned for
    later is scheduled, not a warning; only a failed one shows the warning."""
    if state is FollowUpState.SCHEDULED:
        return DUE_LOOK if due_at <= now else SCHEDULED_LOOK
    return LOOKS[state]
