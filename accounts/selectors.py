"""Reading a location's working time as a pure calendar (accounts/working_time.py)."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

from .models import ClosedDate, Location, minutes_of
from .working_time import MINUTES_A_DAY, Interval, WorkingCalendar

ROUND_THE_CLOCK: tuple[tuple[Interval, ...], ...] = (((0, MINUTES_A_DAY),),) * 7


@lru_cache(maxsize=64)
def _public_holidays(country: str, subdivision: str) -> holidays.HolidayBase:
    # One per country and part: it works out each year's holidays once, when first asked.
    return holidays.country_holidays(country, subdiv=subdivision or None)


def _calendar(
    time_zone: str, country: str, subdivision: str, intervals: list[tuple[int, Interval]], closed: frozenset[date]
) -> WorkingCalendar:
    week: list[list[Interval]] = [[] for _ in range(7)]
    for weekday, interval in intervals:
        week[weekday].append(interval)
    return WorkingCalendar(
        # No hours set: open round the clock, so nothing changes until an owner sets them.
        week=tuple(tuple(day) for day in week) if intervals else ROUND_THE_CLOCK,
        zone=ZoneInfo(time_zone or settings.TIME_ZONE),
        closed=closed,
        holidays=_public_holidays(country, subdivision) if country else frozenset(),
    )


def location_calendars(location_ids: Iterable[int]) -> dict[int, WorkingCalendar]:
    """The working-time calendars of these locations, in two queries however many: one for the
    locations and their hours (a join), one for their closed dates."""
    ids = list(set(location_ids))
    rows = Location.objects.filter(pk__in=ids).values_list(
        "pk",
        "time_zone",
        "holiday_country",
        "holiday_subdivision",
        "opening_hours__weekday",
        "opening_hours__opens",
        "opening_hours__closes",
    )
    places: dict[int, tuple[str, str, str]] = {}
    hours: dict[int, list[tuple[int, Interval]]] = defaultdict(list)
    for pk, time_zone, country, subdivision, weekday, opens, closes in rows:
        places[pk] = (time_zone, country, subdivision)
        if weekday is not None:
            hours[pk].append((weekday, minutes_of(opens, closes)))
    closed: dict[int, set[date]] = defaultdict(set)
    for location_id, day in ClosedDate.objects.filter(location_id__in=ids).values_list("location_id", "date"):
        closed[location_id].add(day)
    return {pk: _calendar(*place, hours[pk], frozenset(closed[pk])) for pk, place in places.items()}


def location_calendar(location_id: int) -> WorkingCalendar:
    """One location's working-time calendar (two queries)."""
    return location_calendars([location_id])[location_id]


def working_calendar(location_id: int, in_working_time: bool) -> WorkingCalendar | None:
    """The calendar a deadline at this location is counted in: None (the wall clock) where the
    policy counts deadlines on the wall clock (`in_working_time` false: no query), or where the
    location is open round the clock with no closed day."""
    if not in_working_time:
        return None
    calendar = location_calendar(location_id)
    return None if calendar.is_always_open else calendar
