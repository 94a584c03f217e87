import pytest

from cases.states import (
    DECISION_AWAITED,
    NOTHING_AWAITS_APPROVAL,
    NOTHING_DELIVERED,
    TRANSITIONS,
    IllegalTransition,
    Outcome,
    Remedies,
    State,
    allowed_next,
    check_transition,
)


def _remedies_for(target) -> Remedies:
    """The remedies under which a listed move is right: a proposal waiting to go into approval,
    none waiting to come out of it, one delivered to say so."""
    return Remedies(awaiting_decision=target is State.AWAITING_APPROVAL, delivered=target is State.REMEDY_DELIVERED)


@pytest.mark.parametrize(("current", "target"), [(c, t) for c, targets in TRANSITIONS.items() for t in targets])
def test_every_listed_move_is_allowed(current, target):
    check_transition(current, target, Outcome.RETAINED if target is State.CLOSED else None, _remedies_for(target))


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
    assert allowed_next(State.OPEN, Remedies(awaiting_decision=True)) == [
        State.IN_RECOVERY,
        State.AWAITING_APPROVAL,
        State.CLOSED,
    ]


@pytest.mark.parametrize("current", [State.OPEN, State.IN_RECOVERY])
def test_only_a_proposal_puts_a_case_in_waiting_for_approval(current):
    assert State.AWAITING_APPROVAL not in allowed_next(current)
    with pytest.raises(IllegalTransition, match=NOTHING_AWAITS_APPROVAL):
        check_transition(current, State.AWAITING_APPROVAL, None)


@pytest.mark.parametrize("target", [State.OPEN, State.IN_RECOVERY, State.REMEDY_DELIVERED, State.CLOSED])
def test_a_case_waiting_for_a_decision_moves_only_when_it_is_decided(target):
    waiting = Remedies(awaiting_decision=True, delivered=True)
    assert allowed_next(State.AWAITING_APPROVAL, waiting) == []
    with pytest.raises(IllegalTransition, match=DECISION_AWAITED):
        check_transition(State.AWAITING_APPROVAL, target, Outcome.LOST if target is State.CLOSED else None, waiting)


@pytest.mark.parametrize("current", [State.IN_RECOVERY, State.AWAITING_APPROVAL])
def test_remedy_delivered_needs_a_delivered_remedy(current):
    assert State.REMEDY_DELIVERED not in allowed_next(current)
    with pytest.raises(IllegalTransition, match=NOTHING_DELIVERED):
        check_transition(current, State.REMEDY_DELIVERED, None)
    assert State.REMEDY_DELIVERED in allowed_next(current, Remedies(delivered=True))


def test_a_rejected_case_goes_back_to_open():
    assert allowed_next(State.AWAITING_APPROVAL) == [State.OPEN, State.IN_RECOVERY, State.CLOSED]
