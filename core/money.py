"""The one way an amount is written for people: symbol, thousands separators, pence."""

from decimal import Decimal

from django.conf import settings


def format_money(value, *, short: bool = False) -> str:
    """£1,234.56; `short`, for a figure read at a glance: £12,346 from ten thousand, £1.23M
    from a million (a headline card has room for about ten characters)."""
    if value in (None, ""):
        return "—"
    amount = Decimal(value).quantize(Decimal("0.01"))
    sign = "-" if amount < 0 else ""
    size = abs(amount)
    if short and size >= 1_000_000:
        return f"{sign}{settings.AMENDS_CURRENCY_SYMBOL}{size / 1_000_000:,.2f}M"
    if short and size >= 10_000:
        return f"{sign}{settings.AMENDS_CURRENCY_SYMBOL}{size:,.0f}"
    return f"{sign}{settings.AMENDS_CURRENCY_SYMBOL}{size:,.2f}"
