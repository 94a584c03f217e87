"""Words staff can say to the customer on each option (issue 12; no database)."""

from dataclasses import replace
from decimal import Decimal

import pytest

from cases.severity import Lost, Severity
from core.money import format_money
from recovery.policy import RemedyKind, Role
from recovery.suggestions import FAILURE_REMEDY, Asker, CaseFacts, suggest
from recovery.words import FAILURE, Voice, ordinal

FRONTLINE = Asker(Role.FRONTLINE)


@pytest.mark.parametrize("category", list(FAILURE_REMEDY))
def test_the_apology_names_the_failure(category):
    for option in suggest(CaseFacts(category, Severity.MODERATE, Decimal("40")), asker=FRONTLINE):
        assert option.words.startswith("I am sorry: ")
        if category in FAILURE:
            assert FAILURE[category] in option.words


def test_each_category_is_apologised_for_in_its_own_words():
    said = {suggest(CaseFacts(c, Severity.MODERATE, Decimal("40")), asker=FRONTLINE)[0].words for c in FAILURE_REMEDY}
    assert len(said) == len(FAILURE_REMEDY)


def test_the_words_promise_every_amount_and_when_the_call_comes():
    case = CaseFacts("defective_product", Severity.MAJOR, Decimal("380"), Decimal("120"), "tow truck", lost=Lost.ALL)
    for option in suggest(case, asker=FRONTLINE, money=format_money):
        for line in option.lines:
            if line.face_value and line.kind is not RemedyKind.FREE_REDO:
                assert format_money(line.face_value) in option.words
        assert "call you personally within 24 hours" in option.words


def test_a_repeat_is_owned_not_just_apologised_for_again():
    case = CaseFacts("delay", Severity.MODERATE, Decimal("30"), repeat_incident=True)
    words = suggest(case, asker=FRONTLINE)[0].words
    assert "happened before" in words and "fixing the cause" in words


def test_a_slip_fixed_on_the_spot_is_said_as_put_right():
    case = CaseFacts("product_quality", Severity.MINOR, Decimal("4.50"), fixed_on_spot=True)
    assert suggest(case, asker=FRONTLINE)[0].words.endswith("We have put it right, and thank you for telling us.")


def test_the_apology_names_what_they_lost_the_occasion_their_time_and_their_own_costs():
    case = CaseFacts(
        "delay",
        Severity.CRITICAL,
        Decimal("45"),
        Decimal("220"),
        "A new flight",
        lost=Lost.ALL,
        time_lost_minutes=90,
        occasion_mattered=True,
    )
    words = suggest(case, asker=FRONTLINE)[0].words
    assert words.startswith(
        "I am sorry: we kept you waiting when it mattered most to you. You did not get what you paid for,"
        " and it cost you 1 hour 30 minutes of your time and money of your own (a new flight)."
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"lost": Lost.PART},
        {"lost": Lost.ALL},
        {"occasion_mattered": True},
        {"time_lost_minutes": 20},
        {"repeat_incident": True},
        {"earlier_recoveries": 2},
    ],
)
def test_the_same_failure_is_not_apologised_for_in_the_same_sentence_whatever_happened(changes):
    plain = CaseFacts("product_quality", Severity.MODERATE, Decimal("40"))
    said = suggest(plain, asker=FRONTLINE)[0].words.split(" We ")[0]
    assert suggest(replace(plain, **changes), asker=FRONTLINE)[0].words.split(" We ")[0] != said


def test_nothing_lost_of_a_price_never_paid_is_not_said():
    case = CaseFacts("missed_appointment", Severity.MODERATE, Decimal("0"), lost=Lost.ALL)
    assert "what you paid for" not in suggest(case, asker=FRONTLINE)[0].words


FRENCH = {
    "I am sorry: {failure}.": "Pardon : {failure}.",
    "we kept you waiting": "attente",
    "it cost you {time} of your time": "temps perdu : {time}",
    "{minutes} minutes": "{minutes} min",
    "We are refunding you {amount} today.": "Remboursé : {amount}.",
}


def test_the_words_are_said_in_the_customers_voice_and_the_rest_in_the_askers():
    case = CaseFacts("delay", Severity.MODERATE, Decimal("40"), time_lost_minutes=20)
    voice = Voice(lambda text: FRENCH.get(text, text), lambda amount: f"{amount} €")
    options = suggest(case, asker=FRONTLINE, customer=voice)
    refunded = next(o for o in options if any(ln.kind is RemedyKind.PARTIAL_REFUND for ln in o.lines))
    amount = next(ln.face_value for ln in refunded.lines if ln.kind is RemedyKind.PARTIAL_REFUND)
    assert refunded.words.startswith("Pardon : attente. Temps perdu : 20 min.")
    assert f"Remboursé : {amount} €." in refunded.words
    # The titles and reasons are the asker's: English here, amounts as `money` writes them.
    assert refunded.title == suggest(case, asker=FRONTLINE)[options.index(refunded)].title
    assert all("€" not in ln.reason for o in options for ln in o.lines)


def test_the_askers_translator_says_the_titles_reasons_and_approval():
    case = CaseFacts("delay", Severity.MODERATE, Decimal("64"), lost=Lost.ALL)
    said = suggest(case, asker=FRONTLINE, translate=lambda text: f"[{text}]")
    plain = suggest(case, asker=FRONTLINE)
    assert [o.title for o in said] == [f"[{o.title}]" for o in plain]
    assert said[0].approval_reason.startswith("[") and plain[0].approval_reason in said[0].approval_reason.replace(
        "[", ""
    ).replace("]", "")
    assert all(ln.reason.startswith("[") for o in said for ln in o.lines)
    # Without a customer's voice, the words are the asker's too.
    assert said[0].words.startswith("[I am sorry: ")


@pytest.mark.parametrize(("n", "said"), [(2, "second"), (5, "fifth"), (6, "6th"), (11, "11th")])
def test_ordinals(n, said):
    assert ordinal(n) == said
