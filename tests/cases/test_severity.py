from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cases.severity import WORDS, HarmFacts, Lost, Severity, assess_severity, duration_words
from core.translatable import translate_filled

money = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False, allow_infinity=False)
facts = st.builds(
    HarmFacts,
    loss=money,
    hidden_costs=money,
    lost=st.sampled_from(list(Lost)),
    time_lost_minutes=st.integers(min_value=0, max_value=7 * 24 * 60),
    occasion_mattered=st.booleans(),
    treated_poorly=st.booleans(),
    repeat_incident=st.booleans(),
)


def test_a_small_loss_alone_is_minor():
    assert assess_severity(HarmFacts(loss=Decimal("12"))).severity is Severity.MINOR


def test_a_ruined_meal_with_rudeness_is_major():
    result = assess_severity(HarmFacts(loss=Decimal("64"), lost=Lost.ALL, treated_poorly=True))
    assert result.severity is Severity.MAJOR
    assert len(result.reasons) == 3


def test_a_tow_truck_and_missed_meeting_after_a_failed_repair_is_critical():
    result = assess_severity(
        HarmFacts(loss=Decimal("380"), hidden_costs=Decimal("120"), lost=Lost.ALL, repeat_incident=True)
    )
    assert result.severity is Severity.CRITICAL


def test_every_point_scored_has_a_reason():
    result = assess_severity(HarmFacts(loss=Decimal("200"), hidden_costs=Decimal("5"), repeat_incident=True))
    assert result.score == 2 + 1 + 1
    assert [r.split(" (")[0][-30:] for r in result.reasons][-1].endswith("within 90 days")


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        assess_severity(HarmFacts(loss=Decimal("-1")))


@given(facts, money)
def test_more_loss_never_lowers_severity(base, extra):
    worse = HarmFacts(**{**base.__dict__, "loss": base.loss + extra})
    assert assess_severity(base).severity <= assess_severity(worse).severity


@given(facts, money)
def test_more_hidden_costs_never_lowers_severity(base, extra):
    worse = HarmFacts(**{**base.__dict__, "hidden_costs": base.hidden_costs + extra})
    assert assess_severity(base).severity <= assess_severity(worse).severity


@given(facts, st.sampled_from(["occasion_mattered", "treated_poorly", "repeat_incident"]))
def test_an_aggravating_fact_never_lowers_severity(base, flag):
    worse = HarmFacts(**{**base.__dict__, flag: True})
    assert assess_severity(base).severity <= assess_severity(worse).severity


@given(facts, st.sampled_from(list(Lost)))
def test_losing_more_of_it_never_lowers_severity(base, other):
    less, more = sorted([base.lost, other], key=lambda lost: lost.rank)
    assert (
        assess_severity(HarmFacts(**{**base.__dict__, "lost": less})).score
        <= assess_severity(HarmFacts(**{**base.__dict__, "lost": more})).score
    )


@given(facts, st.integers(min_value=0, max_value=600))
def test_more_time_lost_never_lowers_severity(base, extra):
    worse = HarmFacts(**{**base.__dict__, "time_lost_minutes": base.time_lost_minutes + extra})
    assert assess_severity(base).score <= assess_severity(worse).score


def test_losing_part_counts_half_of_losing_all_and_an_occasion_and_half_a_day_count_too():
    def score(**facts):
        return assess_severity(HarmFacts(**facts)).score

    assert (score(lost=Lost.NONE), score(lost=Lost.USED), score(lost=Lost.PART), score(lost=Lost.ALL)) == (0, 0, 1, 2)
    assert score(occasion_mattered=True) == 1
    assert (score(time_lost_minutes=119), score(time_lost_minutes=120)) == (0, 1)
    reasons = assess_severity(HarmFacts(time_lost_minutes=150, occasion_mattered=True)).reasons
    assert reasons == [
        "it was for an occasion or a deadline (+1)",
        "it cost them 2 hours 30 minutes of their time (+1)",
    ]


@given(facts)
def test_the_same_facts_give_the_same_answer(case_facts):
    assert assess_severity(case_facts) == assess_severity(case_facts)


def test_reasons_write_money_with_the_formatter_given():
    reasons = assess_severity(HarmFacts(loss=Decimal("1330")), money=lambda amount: f"€{amount:.2f}").reasons
    assert reasons[0] == "€1330.00 at stake for the customer (+3)"


FRENCH = {
    "{hours} hours {minutes} minutes": "{hours} h {minutes}",
    "{hours} hours": "{hours} heures",
    "1 hour": "1 heure",
    "it cost them {spent} of their time (+{points})": "cela leur a pris {spent} (+{points})",
    "they lost part of what they paid for (+{points})": "ils ont perdu une partie de leur achat (+{points})",
}


def test_a_reason_reads_in_another_language_with_its_duration_translated_inside():
    facts = HarmFacts(loss=Decimal(0), time_lost_minutes=150, lost=Lost.PART)
    reasons = assess_severity(facts).reasons
    assert reasons == [
        "they lost part of what they paid for (+1)",
        "it cost them 2 hours 30 minutes of their time (+1)",
    ]
    translated = [translate_filled(reason, WORDS, lambda text: FRENCH.get(text, text)) for reason in reasons]
    assert translated == ["ils ont perdu une partie de leur achat (+1)", "cela leur a pris 2 h 30 (+1)"]
    assert translate_filled(duration_words(60), WORDS, lambda text: FRENCH.get(text, text)) == "1 heure"
    assert [duration_words(minutes) for minutes in (45, 60, 90, 120, 150)] == [
        "45 minutes", "1 hour", "1 hour 30 minutes", "2 hours", "2 hours 30 minutes",
    ]  # fmt: skip


@given(facts)
def test_every_reason_is_made_from_a_message_marked_for_translation(case_facts):
    marker = {template: "«" + template + "»" for template in WORDS}
    for reason in assess_severity(case_facts).reasons:
        assert translate_filled(reason, WORDS, lambda text: marker.get(text, text)).startswith("«")
