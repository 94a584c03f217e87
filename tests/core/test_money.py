"""The one way an amount is written (core/money.py)."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.money import format_money, format_percent


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


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=3, allow_nan=False), st.booleans())
def test_english_is_written_as_it_always_was(amount, short):
    """The English of before the amounts were localised: the symbol, Python's grouping, pence."""
    size = abs(amount.quantize(Decimal("0.01")))
    sign = "-" if amount.quantize(Decimal("0.01")) < 0 else ""
    if short and size >= 1_000_000:
        before = f"{sign}£{size / 1_000_000:,.2f}M"
    elif short and size >= 10_000:
        before = f"{sign}£{size:,.0f}"
    else:
        before = f"{sign}£{size:,.2f}"
    with translation.override("en-gb"):
        assert format_money(amount, short=short) == before


@pytest.mark.parametrize(
    ("amount", "short", "french"),
    [
        (Decimal("71.5"), False, "71,50\u00a0£"),
        (Decimal("1234567.89"), False, "1\u00a0234\u00a0567,89\u00a0£"),
        (Decimal("1234567.89"), True, "1,23M\u00a0£"),
        (Decimal("-25000"), True, "-25\u00a0000\u00a0£"),
    ],
)
def test_a_french_reader_reads_french_amounts(amount, short, french):
    with translation.override("fr"):
        assert format_money(amount, short=short) == french


def test_percentages_in_each_language_and_ten_is_ten():
    with translation.override("en-gb"):
        assert [format_percent(Decimal(p)) for p in ("15.00", "12.50", "10.00", "100")] == [
            "15%",
            "12.5%",
            "10%",
            "100%",
        ]
    with translation.override("fr"):
        assert format_percent(Decimal("12.50")) == "12,5%"
