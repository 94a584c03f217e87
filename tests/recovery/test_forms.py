from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recovery.forms import STALE_REASON, LineForm, written_for

WORDS = "10% off the next purchase (about £6.40)"


def posted(**changes):
    """A line as the page posts it after showing a 10% discount with its explanation."""
    shown = LineForm(
        initial={"kind": "discount", "face_value": Decimal("6.40"), "percent": Decimal(10), "reason": WORDS}
    )
    data = {"kind": "discount", "face_value": "6.40", "percent": "10", "reason": WORDS}
    data["written_for"] = shown.initial["written_for"]
    data.update(changes)
    return LineForm(data)


@pytest.mark.parametrize(
    ("changes", "stale"),
    [
        ({}, False),
        ({"percent": "10.00"}, False),
        ({"percent": "20"}, True),
        ({"kind": "gift_card", "percent": ""}, True),
        ({"percent": "20", "reason": "20% off: a second visit spoiled too"}, False),
        ({"percent": "20", "reason": ""}, False),
        ({"percent": "20", "written_for": "made|up"}, False),
    ],
)
def test_an_explanation_kept_on_a_changed_line_is_caught(changes, stale):
    form = posted(**changes)
    assert form.is_valid() is not stale
    if stale:
        assert form.errors["reason"][0].startswith(STALE_REASON.split("{")[0])


@given(st.text(max_size=30), st.text(max_size=30))
def test_whatever_the_page_sends_back_is_only_ever_a_question(face, percent):
    digest = written_for("discount", 0, None, WORDS).rsplit("|", 1)[1]
    form = posted(percent="20", written_for=f"discount|{face}|{percent}|{digest}")
    form.is_valid()  # never raises, whatever the hidden field holds


@pytest.mark.parametrize(
    ("face", "percent"), [("NaN", "Infinity"), ("1E+999999", "sNaN"), ("Infinity", ""), ("6.40", "NaN")]
)
def test_numbers_that_are_not_amounts_are_ignored(face, percent):
    digest = written_for("discount", 0, None, WORDS).rsplit("|", 1)[1]
    assert posted(percent="20", written_for=f"discount|{face}|{percent}|{digest}").is_valid()
