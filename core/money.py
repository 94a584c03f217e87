"""The one way an amount is written for people: symbol, thousands separators, pence, in the
active language (staff pages are in LANGUAGE_CODE's; a customer's page and messages in theirs:
£1,234.56 in English, 1 234,56 £ in French)."""

from decimal import Decimal
from functools import cache

from django.conf import settings
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language, pgettext

CENT = Decimal("0.01")


def format_money(value, *, short: bool = False) -> str:
    """£1,234.56; `short`, for a figure read at a glance: £12,346 from ten thousand, £1.23M
    from a million (a headline card has room for about ten characters)."""
    if value in (None, ""):
        return "—"
    amount = Decimal(value).quantize(CENT)
    sign = "-" if amount < 0 else ""
    size = abs(amount)
    decimal, thousands, pattern = _style(get_language())
    if short and size >= 1_000_000:
        digits = f"{size / 1_000_000:,.2f}M"
    elif short and size >= 10_000:
        digits = f"{size:,.0f}"
    else:
        digits = f"{size:,.2f}"
    if (decimal, thousands) != (".", ","):
        digits = digits.replace(",", "\0").replace(".", decimal).replace("\0", thousands)
    return sign + pattern.format(symbol=settings.AMENDS_CURRENCY_SYMBOL, amount=digits)


@cache
def _style(language: str | None) -> tuple[str, str, str]:
    """How the active language (`language`, the cache's key) writes an amount: Django's decimal
    and thousands separators (its format files; NUMBER_GROUPING is 3 in every language we ship)
    and where the symbol goes. Python's format writes the digits and the marks are swapped:
    number_format takes ten times as long, and a page may write many amounts."""
    # Translators: where the currency symbol goes around the amount ("1 234,56 £" in French).
    pattern = pgettext("money", "{symbol}{amount}")
    return get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR"), pattern


def format_percent(value) -> str:
    """15% or 12.5% (12,5% in French): the number as the active language writes it, never
    "1E+1%" for ten."""
    return number_format(Decimal(value).normalize(), use_l10n=True) + "%"
