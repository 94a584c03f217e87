import pytest

from cases.states import TRANSITIONS, IllegalTransition, Outcome, State, allowed_next, check_transition


@pytest.mark.parametrize(("current", "target"), [(c, t) for c, targets in TRANSITIONS.items() for t in targets])
def test_every_listed_move_is_allowed(current, target):
    check_transition(current, target, Outcome.RETAINED if target is State.CLOSED else None)


@pytest.mark.parametrize(
    ("current", "target"),
    [(c, t) for c in State for t in State if t not in TRANSITIONS[c]],
)
def test_every_other_move_is_refused(current, target):
    with pytest.raises(IllegalTransition):
        check_transition(current, target, None)


def test_closing_needs_an_outcome():
    with pytest.raises(IllegalTransition, match="outcome"):
        check_transition(State.IN_RECOVERY, State.CLOSED, None)


def test_only_closing_takes_an_outcome():
    with pytest.raises(IllegalTransition):
        check_transition(State.OPEN, State.IN_RECOVERY, Outcome.LOST)


def test_a_closed_case_can_only_be_reopened():
    assert allowed_next(State.CLOSED) == [State.IN_RECOVERY]


def test_next_states_follow_the_life_of_a_case():
    assert allowed_next(State.OPEN) == [State.IN_RECOVERY, State.AWAITING_APPROVAL, State.CLOSED]
