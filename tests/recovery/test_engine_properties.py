"""The engine's promises as properties over generated cases (issue 12; no database).

Amounts are read three ways: the first option (what staff see first), the least and the most
an option gives, so a promise holds for every shape the suggestion takes."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from cases.severity import DEFAULT_RULE, HarmFacts, Lost, Severity, assess_severity
from recovery.policy import DEFAULT_CATALOGUE, DEFAULT_POLICY, RemedyKind, RemedyType, Role
from recovery.suggestions import Asker, CaseFacts, compensation_cap, suggest
from tests.recovery.strategies import facts, money, yearly

small = st.decimals(min_value=Decimal("0.01"), max_value=5, places=2, allow_nan=False, allow_infinity=False)
catalogues = st.builds(
    lambda off: {**DEFAULT_CATALOGUE, **{k: RemedyType(k, enabled=False) for k in off}},
    st.sets(st.sampled_from([k for k in DEFAULT_CATALOGUE if k is not RemedyKind.APOLOGY])),
)
OWNER = Asker(Role.OWNER)
HARM_FLAGS = ["occasion_mattered", "treated_poorly", "repeat_incident"]
minutes = st.integers(min_value=1, max_value=30)


def amounts(case, value=None, **kwargs):
    options = suggest(case, asker=OWNER, yearly_value=value, **kwargs)
    paid = [o.compensation for o in options]
    return options[0].compensation, min(paid), max(paid)


def at_least(more, less):
    return all(m >= n for m, n in zip(more, less, strict=True))


@given(facts, yearly, catalogues)
def test_never_negative(case, value, catalogue):
    for option in suggest(case, asker=OWNER, yearly_value=value, catalogue=catalogue):
        assert all(line.face_value >= 0 and line.cost >= 0 for line in option.lines)


@given(facts, yearly, catalogues)
def test_within_the_caps(case, value, catalogue):
    cap = compensation_cap(case, value, DEFAULT_POLICY)
    for option in suggest(case, asker=OWNER, yearly_value=value, catalogue=catalogue):
        assert option.compensation <= cap


@given(facts, yearly, money)
def test_monotone_in_the_price(case, value, extra):
    assert at_least(amounts(replace(case, order_value=case.order_value + extra), value), amounts(case, value))


@given(facts, yearly, money)
def test_monotone_in_hidden_costs(case, value, extra):
    assert at_least(amounts(replace(case, hidden_costs=case.hidden_costs + extra), value), amounts(case, value))


@given(facts, yearly, st.sampled_from(HARM_FLAGS))
def test_monotone_in_every_harm_flag(case, value, flag):
    case = replace(case, fixed_on_spot=False)  # a fix on the spot adds a first option of words
    assert at_least(amounts(replace(case, **{flag: True}), value), amounts(replace(case, **{flag: False}), value))


@given(facts, yearly, st.sampled_from(list(Lost)))
def test_monotone_in_how_much_was_lost(case, value, other):
    case = replace(case, fixed_on_spot=False)
    less, more = sorted([case.lost, other], key=lambda lost: lost.rank)
    assert at_least(amounts(replace(case, lost=more), value), amounts(replace(case, lost=less), value))


@given(facts, yearly, minutes)
def test_monotone_and_smooth_in_the_time_it_cost_them(case, value, step):
    # Valued minute by minute: a step of up to half an hour moves no amount by more than its
    # worth at the cap's multiple, as credit, plus a unit of rounding.
    before = amounts(case, value)
    after = amounts(replace(case, time_lost_minutes=case.time_lost_minutes + step), value)
    assert at_least(after, before)
    worth = DEFAULT_POLICY.time_value_per_hour * step / 60
    bound = worth * DEFAULT_POLICY.max_multiple_of_base * DEFAULT_POLICY.credit_multiple + 2
    assert all(a - b <= bound for a, b in zip(after, before, strict=True))


@given(facts, yearly)
def test_an_occasion_raises_the_aim_but_never_past_the_cap(case, value):
    case = replace(case, fixed_on_spot=False)
    plain, occasion = (replace(case, occasion_mattered=o) for o in (False, True))
    assert at_least(amounts(occasion, value), amounts(plain, value))
    cap = compensation_cap(occasion, value, DEFAULT_POLICY)
    assert all(o.compensation <= cap for o in suggest(occasion, asker=OWNER, yearly_value=value))


@given(facts, yearly, st.sampled_from(list(Severity)))
def test_monotone_in_severity(case, value, other):
    case = replace(case, fixed_on_spot=False)
    low, high = sorted([case.severity, other])
    assert at_least(amounts(replace(case, severity=high), value), amounts(replace(case, severity=low), value))


@given(facts, money, money)
def test_monotone_in_customer_value_and_knowing_a_valuable_one_never_costs_them(case, value, extra):
    assert at_least(amounts(case, value + extra), amounts(case, value))
    if value >= DEFAULT_POLICY.typical_yearly_value:
        assert at_least(amounts(case, value), amounts(case, None))


@given(facts, yearly, small, st.sampled_from(["order_value", "hidden_costs", "overcharge"]))
def test_smooth_in_every_amount(case, value, step, field):
    # A step of at most 5 moves no amount by more than the most a unit of loss can earn
    # (the 150% cap, as credit at 125%) plus a unit of rounding in the customer's favour.
    before = amounts(case, value)
    after = amounts(replace(case, **{field: getattr(case, field) + step}), value)
    bound = step * DEFAULT_POLICY.max_multiple_of_base * DEFAULT_POLICY.credit_multiple + 2
    assert all(abs(a - b) <= bound for a, b in zip(after, before, strict=True))


@given(facts, small)
def test_smooth_in_customer_value(case, step):
    value = DEFAULT_POLICY.typical_yearly_value
    before, after = amounts(case, value), amounts(case, value + step)
    assert all(abs(a - b) <= step + 2 for a, b in zip(after, before, strict=True))


@given(facts, yearly, st.integers(min_value=1, max_value=5))
def test_a_repeat_is_counted_once(case, value, earlier):
    # Once in the severity (one point, cases/severity.py); the engine then gives the same money for
    # it, however many times before: what the customer was already given brings someone more
    # senior and a step to fix the cause, never more money.
    case = replace(case, fixed_on_spot=False)  # the apology and the fix come first only the first time
    harm = HarmFacts(loss=case.order_value, hidden_costs=case.hidden_costs, lost=case.lost)
    again = replace(harm, repeat_incident=True)
    assert assess_severity(again).score == assess_severity(harm).score + 1
    first, *again = (
        [o.compensation for o in suggest(replace(case, **facts), asker=OWNER, yearly_value=value)]
        for facts in (
            {"repeat_incident": False, "earlier_recoveries": 0},
            {"repeat_incident": True, "earlier_recoveries": 0},
            {"repeat_incident": True, "earlier_recoveries": earlier},
            {"repeat_incident": False, "earlier_recoveries": earlier},
        )
    )
    assert all(amounts == first for amounts in again)


@given(facts, yearly, catalogues)
def test_a_repeat_never_gets_an_apology_alone_whatever_the_catalogue(case, value, catalogue):
    # A third apology in a quarter is worse than none (DOMAIN.md: the Uber field experiment).
    case = replace(case, repeat_incident=True)
    for option in suggest(case, asker=OWNER, yearly_value=value, catalogue=catalogue):
        assert [line for line in option.lines if line.kind is not RemedyKind.APOLOGY]


@given(facts, yearly, st.integers(min_value=0, max_value=5))
def test_a_second_time_brings_the_manager_and_a_third_the_owner(case, value, earlier):
    case = replace(case, repeat_incident=earlier > 0, earlier_recoveries=earlier)
    calls = {
        line.kind
        for option in suggest(case, asker=OWNER, yearly_value=value)
        for line in option.lines
        if line.kind in {RemedyKind.MANAGER_CALL, RemedyKind.OWNER_CALL}
    }
    if earlier >= 2 or (earlier and case.severity is Severity.CRITICAL):
        assert calls == {RemedyKind.OWNER_CALL}
    elif earlier == 1:
        assert calls == {RemedyKind.MANAGER_CALL}


@given(facts, yearly, catalogues)
def test_never_apology_alone_from_moderate_up_whatever_the_catalogue(case, value, catalogue):
    case = replace(case, severity=max(case.severity, Severity.MODERATE, key=lambda s: s.rank))
    options = suggest(case, asker=OWNER, yearly_value=value, catalogue=catalogue)
    assert options
    for option in options:
        assert [line for line in option.lines if line.kind is not RemedyKind.APOLOGY]


@given(facts, yearly, catalogues)
def test_the_same_facts_give_the_same_answer(case, value, catalogue):
    assert suggest(case, asker=OWNER, yearly_value=value, catalogue=catalogue) == suggest(
        replace(case), asker=OWNER, yearly_value=value, catalogue=dict(catalogue)
    )


def assessed(case: CaseFacts) -> CaseFacts:
    """The case with the severity its facts suggest, as the case form sets it."""
    harm = HarmFacts(
        loss=case.order_value,
        hidden_costs=case.hidden_costs,
        lost=case.lost,
        time_lost_minutes=case.time_lost_minutes,
        occasion_mattered=case.occasion_mattered,
        treated_poorly=case.treated_poorly,
        repeat_incident=case.repeat_incident,
    )
    return replace(case, severity=assess_severity(harm).severity)


THRESHOLDS = [amount for amount, _ in DEFAULT_RULE.money_steps]


@given(facts, yearly, st.sampled_from(["order_value", "hidden_costs"]), st.sampled_from(THRESHOLDS), small, small)
def test_smooth_across_severity_thresholds(case, value, field, threshold, below, above):
    # The severity follows the amounts: a step from just below a threshold to just above it moves
    # the suggestion by at most the gap between two gestures, never by a share of the price.
    other = "hidden_costs" if field == "order_value" else "order_value"
    flat = {
        other: Decimal(0),
        "lost": Lost.USED,
        "time_lost_minutes": 0,
        "occasion_mattered": False,
        "treated_poorly": False,
        "repeat_incident": False,
    }
    case = assessed(replace(case, **{field: threshold - below}, **flat))
    moved = assessed(replace(case, **{field: threshold + above}))
    step = below + above
    gestures = list(DEFAULT_POLICY.gesture.values())
    bound = step * DEFAULT_POLICY.max_multiple_of_base * DEFAULT_POLICY.credit_multiple + 2
    bound += (max(gestures) - min(gestures)) * DEFAULT_POLICY.credit_multiple
    assert all(abs(a - b) <= bound for a, b in zip(amounts(moved, value), amounts(case, value), strict=True))


@given(facts, yearly, minutes, minutes)
def test_smooth_across_the_time_threshold_of_severity(case, value, below, above):
    # Two hours of their time is a severity point: crossing it moves the suggestion by the time's
    # worth and at most the gap between two gestures, never by a share of the price.
    start = DEFAULT_RULE.time_lost_from_minutes
    case = assessed(replace(case, time_lost_minutes=start - below))
    moved = assessed(replace(case, time_lost_minutes=start + above))
    worth = DEFAULT_POLICY.time_value_per_hour * (below + above) / 60
    gestures = list(DEFAULT_POLICY.gesture.values())
    bound = (
        worth * DEFAULT_POLICY.max_multiple_of_base + max(gestures) - min(gestures)
    ) * DEFAULT_POLICY.credit_multiple
    assert all(abs(a - b) <= bound + 2 for a, b in zip(amounts(moved, value), amounts(case, value), strict=True))
