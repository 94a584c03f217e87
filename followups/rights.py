"""Who may do what to a follow-up by hand, as data (no Django import).

The services refuse what this does not allow, and the pages show exactly the buttons it
allows, so a crafted POST can do no more than the page offers.
"""

from enum import StrEnum

from .states import FollowUpState


class Action(StrEnum):
    MOVE = "move"
    CANCEL = "cancel"
    DONE = "done"
    RETRY = "retry"  # a failed one, scheduled again from scratch


class Who(StrEnum):
    STAFF = "staff"  # anyone who works on the case
    MANAGERS = "managers"  # those who resolve follow-ups (followups.resolve_followup)


# By kind of follow-up: each action it takes, and who may take it. An escalation is the
# managers' to settle. A message to the customer is too: moving it far off or cancelling it
# silences the customer (a satisfaction check cancelled on a case that went badly is a
# verdict nobody hears), so frontline staff see it but do not touch it.
WHO_MAY: dict[str, dict[Action, Who]] = {
    "staff_reminder": {Action.MOVE: Who.STAFF, Action.CANCEL: Who.STAFF, Action.DONE: Who.STAFF},
    "escalation": {Action.MOVE: Who.MANAGERS, Action.CANCEL: Who.MANAGERS, Action.DONE: Who.MANAGERS},
    "customer_message": {Action.MOVE: Who.MANAGERS, Action.CANCEL: Who.MANAGERS},
    "satisfaction_check": {Action.MOVE: Who.MANAGERS, Action.CANCEL: Who.MANAGERS},
}

# Which actions each state offers (followups/states.py says where each one leads).
IN_STATE: dict[FollowUpState, frozenset[Action]] = {
    FollowUpState.SCHEDULED: frozenset({Action.MOVE, Action.CANCEL, Action.DONE}),
    FollowUpState.SENT: frozenset({Action.DONE}),
    FollowUpState.FAILED: frozenset({Action.RETRY, Action.CANCEL}),
    FollowUpState.DONE: frozenset(),
    FollowUpState.CANCELLED: frozenset(),
}


def who_may(*, kind: str, state: FollowUpState, action: Action) -> Who | None:
    """Who may take the action on a follow-up of this kind in this state; None if nobody."""
    if action not in IN_STATE[state]:
        return None
    if state is FollowUpState.FAILED:
        # What could not be sent is the managers' to resolve (try again or cancel), whatever it was.
        return Who.MANAGERS
    return WHO_MAY[kind].get(action)


def allowed(*, kind: str, state: FollowUpState, resolves: bool) -> frozenset[Action]:
    """The actions this person may take; `resolves` is whether they resolve follow-ups (managers)."""
    return frozenset(
        action
        for action in Action
        if (who := who_may(kind=kind, state=state, action=action)) is Who.STAFF or (who is Who.MANAGERS and resolves)
    )
