"""The corrective action's life as data: no database, no Django."""

from datetime import date

import pytest

from corrective.states import TRANSITIONS, ActionState, IllegalTransition, check_transition, is_overdue

LEGAL = [(current, target) for current, targets in TRANSITIONS.items() for target in targets]
ILLEGAL = [(current, target) for current in ActionState for target in ActionState if target not in TRANSITIONS[current]]


@pytest.mark.parametrize(("current", "target"), LEGAL)
def test_allowed_moves_pass(current, target):
    check_transition(current, target)


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_other_moves_raise(current, target):
    with pytest.raises(IllegalTransition):
        check_transition(current, target)


def test_done_and_cancelled_are_final():
    assert TRANSITIONS[ActionState.DONE] == TRANSITIONS[ActionState.CANCELLED] == frozenset()


def test_every_state_has_a_row():
    assert set(TRANSITIONS) == set(ActionState)


@pytest.mark.parametrize(
    ("state", "due", "expected"),
    [
        (ActionState.OPEN, date(2026, 5, 31), True),
        (ActionState.IN_PROGRESS, date(2026, 5, 31), True),
        (ActionState.OPEN, date(2026, 6, 1), False),  # due today is not late yet
        (ActionState.DONE, date(2026, 5, 1), False),
        (ActionState.CANCELLED, date(2026, 5, 1), False),
    ],
)
def test_overdue_only_while_being_worked_on_and_past_due(state, due, expected):
    assert is_overdue(state=state, due_date=due, today=date(2026, 6, 1)) is expected
