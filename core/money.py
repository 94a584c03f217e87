"""The one way an amount is written for people: symbol, thousands separators, pence."""

from decimal import Decimal

from django.conf import settings


def format_money(value) -> str:
    if value in (None, ""):
        return "—"
    amount = Decimal(value).quantize(Decimal("0.01"))
    sign = "-" if amount < 0 else ""
    return f"{sign}{settings.AMENDS_CURRENCY_SYMBOL}{abs(amount):,.2f}"
