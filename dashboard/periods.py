"""Days, weeks and months of a dashboard range (no Django import).

Ranges are of local calendar days, both ends included. A range reads whole
months from the monthly roll-up and the days at its ends from the daily one.
"""

import calendar
import math
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from core.translatable import gettext_noop

WEEK_OF = gettext_noop("w/c {day} {month}")  # the week commencing on that Monday


def _as_it_is(text: str) -> str:
    return text


def _month_abbreviation(day: date) -> str:
    return f"{day:%b}"


class Grain(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


def grain_for(start: date, end: date) -> Grain:
    """How finely a chart of this range is drawn: a bar a day up to a month, a week up to
    four months, a month beyond."""
    days = (end - start).days + 1
    if days <= 31:
        return Grain.DAY
    if days <= 122:
        return Grain.WEEK
    return Grain.MONTH


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def period_of(day: date, grain: Grain) -> date:
    """The first day of the period `day` falls in (weeks start on Monday)."""
    if grain is Grain.MONTH:
        return first_of_month(day)
    if grain is Grain.WEEK:
        return day - timedelta(days=day.weekday())
    return day


def periods(start: date, end: date, grain: Grain) -> list[date]:
    """The first day of every period from start to end, in order."""
    found, day = [], period_of(start, grain)
    while day <= end:
        found.append(day)
        day = next_month(day) if grain is Grain.MONTH else day + timedelta(days=7 if grain is Grain.WEEK else 1)
    return found


def period_label(
    first: date,
    grain: Grain,
    translate: Callable[[str], str] = _as_it_is,
    month: Callable[[date], str] = _month_abbreviation,
) -> str:
    """A period's name on a chart's axis: "3 Dec", "w/c 30 Nov", "Dec 2026". In English unless
    `translate` (gettext) and `month` (the month's short name) say otherwise."""
    if grain is Grain.MONTH:
        return f"{month(first)} {first.year}"
    if grain is Grain.WEEK:
        return translate(WEEK_OF).format(day=first.day, month=month(first))
    return f"{first.day} {month(first)}"


def period_end(first: date, grain: Grain) -> date:
    if grain is Grain.MONTH:
        return next_month(first) - timedelta(days=1)
    return first + timedelta(days=6 if grain is Grain.WEEK else 0)


def split(start: date, end: date) -> tuple[list[date], list[tuple[date, date]]]:
    """The months lying wholly inside the range (their first days), and the runs of days
    at its ends that are not in those months (at most two)."""
    months, edges = [], []
    month = first_of_month(start)
    if month < start:
        month = next_month(month)
    while next_month(month) - timedelta(days=1) <= end:
        months.append(month)
        month = next_month(month)
    if not months:
        return [], [(start, end)]
    if start < months[0]:
        edges.append((start, months[0] - timedelta(days=1)))
    after = next_month(months[-1])
    if after <= end:
        edges.append((after, end))
    return months, edges


def budget_for(monthly: Decimal, start: date, end: date) -> Decimal:
    """A monthly budget over the range: each month's share in proportion to its days in it."""
    total, month = Decimal(0), first_of_month(start)
    while month <= end:
        last = next_month(month) - timedelta(days=1)
        inside = (min(last, end) - max(month, start)).days + 1
        total += monthly * inside / calendar.monthrange(month.year, month.month)[1]
        month = next_month(month)
    return total.quantize(Decimal("0.01"))


def percentile_bucket(histogram: list[int], share: float) -> int | None:
    """The bucket holding the value below which `share` of the values lie (nearest rank);
    None if there are none."""
    total = sum(histogram)
    if not total:
        return None
    rank, running = max(1, math.ceil(share * total)), 0
    for index, count in enumerate(histogram):
        running += count
        if running >= rank:
            return index
    return len(histogram) - 1
