"""The one way an amount is written (core/money.py)."""

from decimal import Decimal

import pytest

from core.money import format_money


@pytest.mark.parametrize(
    ("amount", "full", "short"),
    [
        (Decimal("0"), "£0.00", "£0.00"),
        (Decimal("71.5"), "£71.50", "£71.50"),
        (Decimal("9999.99"), "£9,999.99", "£9,999.99"),
        (Decimal("10000.49"), "£10,000.49", "£10,000"),
        (Decimal("123456.50"), "£123,456.50", "£123,456"),  # half to even, as Decimal rounds
        (Decimal("999999.99"), "£999,999.99", "£1,000,000"),
        (Decimal("1234567.89"), "£1,234,567.89", "£1.23M"),
        (Decimal("-25000"), "-£25,000.00", "-£25,000"),
        (None, "—", "—"),
    ],
)
def test_amounts_in_full_and_at_a_glance(amount, full, short):
    assert format_money(amount) == full
    assert format_money(amount, short=True) == short
