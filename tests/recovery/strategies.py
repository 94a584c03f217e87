"""Hypothesis strategies for the engine's facts, shared by the rule tests and the property tests."""

from decimal import Decimal

from hypothesis import strategies as st

from cases.severity import Lost, Severity
from recovery.suggestions import FAILURE_REMEDY, CaseFacts

CATEGORIES = list(FAILURE_REMEDY)
money = st.decimals(min_value=0, max_value=20_000, places=2, allow_nan=False, allow_infinity=False)
yearly = st.one_of(st.none(), money)
facts = st.builds(
    CaseFacts,
    category=st.sampled_from(CATEGORIES),
    severity=st.sampled_from(list(Severity)),
    order_value=money,
    hidden_costs=money,
    hidden_costs_description=st.sampled_from(["", "tow truck", "taxi home"]),
    lost=st.sampled_from(list(Lost)),
    time_lost_minutes=st.integers(min_value=0, max_value=7 * 24 * 60),
    occasion_mattered=st.booleans(),
    earlier_recoveries=st.integers(min_value=0, max_value=4),
    treated_poorly=st.booleans(),
    repeat_incident=st.booleans(),
    overcharge=st.one_of(st.just(Decimal(0)), money),
    fixed_on_spot=st.booleans(),
)
