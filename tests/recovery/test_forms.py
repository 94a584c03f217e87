from decimal import Decimal

import pytest

from recovery.forms import STALE_REASON, LineForm

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
