"""The seeds' synthetic outcome model: monotone where the research says, and the same for the same seed."""

from collections import Counter
from dataclasses import replace
from random import Random

from hypothesis import given
from hypothesis import strategies as st

from bench.management.commands._outcome_model import Handling, judge, retention, score

SEVERITIES = ["minor", "moderate", "major", "critical"]
losses = st.floats(min_value=0, max_value=5000, allow_nan=False)
hours = st.one_of(st.none(), st.floats(min_value=0, max_value=24 * 60, allow_nan=False))
handlings = st.builds(
    Handling,
    severity=st.sampled_from(SEVERITIES),
    loss=losses,
    given=losses,
    apologised=st.booleans(),
    personal_call=st.booleans(),
    contact_hours=hours,
    repeat=st.booleans(),
    treated_poorly=st.booleans(),
)
shares = st.floats(min_value=0, max_value=4, allow_nan=False)


def with_share(handling: Handling, share: float) -> Handling:
    loss = max(handling.loss, 10.0)  # the model weighs a gesture for a smaller loss against £10
    return replace(handling, loss=loss, given=loss * share)


@given(handlings, shares, shares)
def test_more_money_keeps_more_customers_up_to_150_percent_of_the_loss(handling, a, b):
    low, high = sorted((min(a, 1.5), min(b, 1.5)))
    assert retention(with_share(handling, low)) <= retention(with_share(handling, high))


@given(handlings, shares, shares)
def test_past_150_percent_more_money_keeps_no_more_customers(handling, a, b):
    low, high = sorted((max(a, 1.5), max(b, 1.5)))
    assert retention(with_share(handling, high)) <= retention(with_share(handling, low))
    # ... and from twice the loss up, no more than a remedy of the loss itself.
    assert retention(with_share(handling, max(high, 2.0))) <= retention(with_share(handling, 1.0))


@given(handlings)
def test_the_60_to_120_percent_band_gains_most_per_pound(handling):
    # On the log-odds (the chance itself flattens near certainty whatever the money),
    # and with no apology (an apology alone and one with money weigh differently).
    handling = replace(handling, apologised=False)
    gain = {share: score(with_share(handling, share)) for share in (0.0, 0.6, 1.2, 1.5)}
    assert (gain[1.2] - gain[0.6]) / 0.6 > (gain[0.6] - gain[0.0]) / 0.6
    assert (gain[1.2] - gain[0.6]) / 0.6 > (gain[1.5] - gain[1.2]) / 0.3


@given(handlings, hours, hours)
def test_a_faster_first_contact_keeps_more_customers(handling, a, b):
    contacted = [h for h in (a, b) if h is not None]
    fast, slow = sorted(contacted) + [None] * (2 - len(contacted))  # never contacted is the slowest
    assert retention(replace(handling, contact_hours=slow)) <= retention(replace(handling, contact_hours=fast))


@given(handlings)
def test_a_personal_call_helps_and_most_after_major_harm_or_poor_treatment(handling):
    assert retention(replace(handling, personal_call=True)) > retention(replace(handling, personal_call=False))
    # On the log-odds: how much the call weighs, wherever the rest put the chance.
    serious = replace(handling, severity="major", personal_call=False, apologised=False, given=0.0)
    minor = replace(serious, severity="minor", treated_poorly=False)
    for after_harm in (serious, replace(minor, treated_poorly=True)):
        lift = score(replace(after_harm, personal_call=True)) - score(after_harm)
        assert lift > score(replace(minor, personal_call=True)) - score(minor)


@given(handlings)
def test_severity_and_a_repeat_lower_the_chance(handling):
    chances = [retention(replace(handling, severity=severity)) for severity in SEVERITIES]
    assert chances == sorted(chances, reverse=True)
    assert retention(replace(handling, repeat=True)) < retention(replace(handling, repeat=False))


@given(handlings)
def test_an_apology_alone_from_moderate_up_does_worse_than_a_proportionate_remedy_and_than_nothing(handling):
    alone = replace(handling, given=0.0, personal_call=False, apologised=True)
    serious = replace(alone, severity="moderate" if handling.severity == "minor" else handling.severity)
    assert retention(serious) < retention(replace(serious, apologised=False))
    assert retention(serious) < retention(replace(with_share(serious, 1.0), apologised=True))
    # For a minor slip, the apology and the fix may be enough: it helps.
    minor = replace(alone, severity="minor")
    assert retention(minor) > retention(replace(minor, apologised=False))


@given(handlings, st.integers(min_value=0, max_value=2**32))
def test_the_same_seed_gives_the_same_outcome_and_answer(handling, seed):
    first = judge(handling, Random(seed))
    assert first == judge(handling, Random(seed))
    assert first.outcome in {"retained", "lost", "unknown"} and 1 <= first.rating <= 5
    assert first.will_return in {"yes", "not_sure", "no"}


def sample(handling: Handling, n: int = 4000):
    rng = Random(7)
    return [judge(handling, rng) for _ in range(n)]


def test_answers_follow_outcomes_over_a_sample():
    good = Handling("moderate", 100.0, 100.0, True, False, 0.5)
    poor = Handling("moderate", 100.0, 0.0, True, False, 30.0)
    for handling in (good, poor):
        drawn = sample(handling)
        known = [v for v in drawn if v.outcome != "unknown"]
        kept = sum(v.outcome == "retained" for v in known) / len(known)
        assert abs(kept - retention(handling)) < 0.03  # draws match the chance the model states
        assert 0.15 < Counter(v.outcome for v in drawn)["unknown"] / len(drawn) < 0.25
    ratings = {h: sum(v.rating for v in sample(h)) / 4000 for h in (good, poor)}
    assert ratings[good] - ratings[poor] > 1.0
    kept_ratings = [v.rating for v in sample(poor) if v.outcome == "retained"]
    lost_ratings = [v.rating for v in sample(poor) if v.outcome == "lost"]
    # The customers who stay rated us higher than those who left.
    assert sum(kept_ratings) / len(kept_ratings) > sum(lost_ratings) / len(lost_ratings) + 1
