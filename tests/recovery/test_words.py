"""Words staff can say to the customer on each option (issue 12; no database)."""

from decimal import Decimal

import pytest

from cases.severity import Lost, Severity
from core.money import format_money
from recovery.policy import RemedyKind, Role
from recovery.suggestions import FAILURE_REMEDY, Asker, CaseFacts, suggest
from recovery.words import FAILURE

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
