"""What similar cases say about a suggestion: the statistics and the bands (pure: no database)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recovery import outcomes
from recovery.evidence import (
    CAME_BACK_AGAINST,
    HEADING,
    KIND_PHRASES,
    PRIOR_STRENGTH,
    Evidence,
    Tally,
    estimate,
    option_evidence,
    wilson,
)

counts = st.integers(min_value=0, max_value=5000)
rates = st.floats(min_value=0, max_value=1)
strengths = st.floats(min_value=0, max_value=500)


@given(retained=counts, lost=counts, prior=rates, strength=strengths)
def test_shrinking_moves_the_rate_toward_the_prior_and_never_past_it(retained, lost, prior, strength):
    tally = Tally(retained, lost)
    found = estimate(tally, prior, strength=strength, minimum=1)
    if tally.n == 0:
        assert found is None
        return
    raw = tally.rate
    assert min(raw, prior) - 1e-9 <= found.rate <= max(raw, prior) + 1e-9
    assert abs(found.rate - prior) <= abs(raw - prior) + 1e-9


@given(retained=counts, lost=counts, prior=rates)
def test_a_stronger_prior_pulls_harder(retained, lost, prior):
    tally = Tally(retained, lost)
    weak, strong = (estimate(tally, prior, strength=s, minimum=1) for s in (5, 50))
    if weak is not None:
        assert abs(strong.rate - prior) <= abs(weak.rate - prior) + 1e-9


@given(retained=counts, lost=counts, prior=rates, strength=strengths)
def test_the_interval_holds_the_rate_and_stays_within_0_and_1(retained, lost, prior, strength):
    found = estimate(Tally(retained, lost), prior, strength=strength, minimum=1)
    if found is not None:
        assert 0 <= found.low <= found.rate <= found.high <= 1


@given(successes=st.floats(min_value=0, max_value=1000), extra=st.floats(min_value=0.01, max_value=1000))
def test_the_wilson_interval_holds_the_observed_share(successes, extra):
    low, high = wilson(successes, successes + extra)
    assert 0 <= low <= successes / (successes + extra) <= high <= 1


@given(retained=counts, lost=counts, minimum=st.integers(min_value=1, max_value=200))
def test_nothing_is_shown_below_the_minimum_count(retained, lost, minimum):
    found = estimate(Tally(retained, lost), 0.5, minimum=minimum)
    assert (found is None) == (retained + lost < minimum)


def test_more_cases_make_a_narrower_interval():
    small, large = (estimate(Tally(8 * n, 2 * n), 0.5) for n in (4, 40))
    assert large.high - large.low < small.high - small.low


def tallies(**rows):
    return {tuple(key.split("__")): Tally(*value) for key, value in rows.items()}


SIMILAR = tallies(
    amount__none=(30, 30),
    amount__60_120=(120, 20),
    amount__above_120=(10, 4),
    kind__personal_call=(81, 19),
    kind__manager_call=(81, 19),
    kind__gift_card=(20, 5),
    kind__apology_only=(30, 30),
)


def test_an_option_is_compared_by_its_remedies_and_its_amount():
    found = option_evidence(
        SIMILAR, kinds=["apology", "manager_call", "partial_refund"], compensation=Decimal(90), loss=Decimal(100)
    )
    assert found.similar == 214
    assert found.heading == "Of 214 similar cases in the last 12 months (same category and severity)"
    phrases = [c.phrase for c in found.comparisons]
    # One comparison for a call, whoever makes it; a partial refund with no history says nothing.
    assert phrases == ["given a personal call", "given 60–120% of their loss"]
    call = found.comparisons[0]
    overall = 160 / 214
    assert call.given.n == 100 and call.others.n == 114
    assert call.given.rate == pytest.approx((81 + PRIOR_STRENGTH * overall) / (100 + PRIOR_STRENGTH))
    assert call.sentence == (
        f"customers given a personal call came back {call.given.percent}% of the time "
        f"(±{call.given.margin}%), against {call.others.percent}% without"
    )


def test_a_page_reads_the_evidence_in_its_own_language():
    french = {
        HEADING: "Sur {similar} cas semblables ces {months} derniers mois (même catégorie et gravité)",
        CAME_BACK_AGAINST: (
            "les clients {phrase} sont revenus {percent} % du temps (±{margin} %), contre {others} % sans"
        ),
        KIND_PHRASES[outcomes.PERSONAL_CALL]: "à qui l’on a téléphoné",
    }
    found = option_evidence(SIMILAR, kinds=["manager_call"], compensation=Decimal(90), loss=Decimal(100))
    call = found.comparisons[0]

    def translate(text):
        return french.get(text, text)

    assert found.heading_in(translate) == "Sur 214 cas semblables ces 12 derniers mois (même catégorie et gravité)"
    assert call.sentence_in(translate) == (
        f"les clients à qui l’on a téléphoné sont revenus {call.given.percent} % du temps "
        f"(±{call.given.margin} %), contre {call.others.percent} % sans"
    )


def test_a_group_too_small_is_left_out_and_the_rest_stays():
    found = option_evidence(SIMILAR, kinds=["gift_card"], compensation=Decimal(200), loss=Decimal(100))
    assert [c.phrase for c in found.comparisons] == []  # 25 gift cards, 14 above 120%: both below 30
    assert found.similar == 214


def test_no_similar_cases_is_no_evidence():
    found = option_evidence({}, kinds=["gift_card"], compensation=Decimal(10), loss=Decimal(40))
    assert found.similar == 0 and found.comparisons == ()


def test_the_stored_evidence_reads_back_the_same():
    found = option_evidence(SIMILAR, kinds=["manager_call"], compensation=Decimal(90), loss=Decimal(100))
    assert Evidence.from_json(found.to_json()) == found
    assert Evidence.from_json({}) is None


@pytest.mark.parametrize(
    ("compensation", "loss", "band"),
    [
        (0, 100, "none"),
        (Decimal("59.99"), 100, "below_60"),
        (60, 100, "60_120"),
        (120, 100, "60_120"),
        (Decimal("120.01"), 100, "above_120"),
        (5, 0, "above_120"),  # anything when nothing was lost
        (0, 0, "none"),
    ],
)
def test_amount_bands_at_their_edges(compensation, loss, band):
    assert outcomes.amount_band(Decimal(compensation), Decimal(loss)) == band


@pytest.mark.parametrize(
    ("seconds", "band"),
    [
        (None, "none"),
        (-5, "within_1h"),
        (3600, "within_1h"),
        (3601, "within_day"),
        (86400, "within_day"),
        (86401, "later"),
    ],
)
def test_contact_bands_at_their_edges(seconds, band):
    assert outcomes.contact_band(seconds) == band


def test_a_call_is_a_personal_call_and_nothing_beyond_an_apology_is_apology_only():
    assert outcomes.kinds_given(["apology", "owner_call", "gift_card"]) == {"owner_call", "personal_call", "gift_card"}
    assert outcomes.kinds_given(["apology"]) == {"apology_only"}
    assert outcomes.kinds_given([]) == {"apology_only"}


def test_a_correction_is_not_compensation():
    counts = outcomes.case_outcome_counts(
        lines=[("correction", Decimal(50)), ("gift_card", Decimal(5))],
        loss=Decimal(40),
        contact_seconds=60,
        closed=True,
        outcome="retained",
        rating=5,
    )
    assert set(counts) == {
        ("amount", "below_60"),
        ("contact", "within_1h"),
        ("kind", "correction"),
        ("kind", "gift_card"),
    }
    assert counts["amount", "below_60"] == {
        "cases": 1, "closed": 1, "retained": 1, "answers": 1, "rating_sum": 5, "satisfied": 1
    }  # fmt: skip


def test_the_roll_up_has_a_column_for_every_counter():
    from recovery.models import OutcomeRollup

    assert all(OutcomeRollup._meta.get_field(name) for name in outcomes.FIELDS)
