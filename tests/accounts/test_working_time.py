"""A location's working time (accounts/working_time.py): pure, no database."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.working_time import (
    ALWAYS_OPEN,
    NO_OPENING_HOURS,
    NoOpeningHours,
    WorkingCalendar,
    add_working_time,
    check_day,
    opening_between,
    working_time_between,
)

LONDON = ZoneInfo("Europe/London")
NINE_TO_FIVE = (((9 * 60, 17 * 60),),) * 5 + ((), ())  # Monday to Friday
OFFICE = WorkingCalendar(week=NINE_TO_FIVE, zone=LONDON)
# Saturday 5 December 2026, 20:00 in London.
SATURDAY_EVENING = datetime(2026, 12, 5, 20, 0, tzinfo=LONDON)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def test_a_saturday_evening_case_with_four_hours_is_due_monday_1300():
    assert OFFICE.add(SATURDAY_EVENING, timedelta(hours=4)) == local(2026, 12, 7, 13, 0)


def test_a_closed_monday_moves_it_to_tuesday():
    closed = WorkingCalendar(week=NINE_TO_FIVE, zone=LONDON, closed=frozenset({date(2026, 12, 7)}))
    assert closed.add(SATURDAY_EVENING, timedelta(hours=4)) == local(2026, 12, 8, 13, 0)


def test_a_public_holiday_from_python_holidays_is_closed():
    # Monday 28 December 2026 is the Boxing Day bank holiday (observed) in England.
    england = WorkingCalendar(week=NINE_TO_FIVE, zone=LONDON, holidays=holidays.country_holidays("GB", subdiv="ENG"))
    assert england.add(local(2026, 12, 26, 20, 0), timedelta(hours=4)) == local(2026, 12, 29, 13, 0)


def test_a_deadline_can_fall_on_closing_time():
    assert OFFICE.add(local(2026, 12, 7, 13, 0), timedelta(hours=4)) == local(2026, 12, 7, 17, 0)


def test_a_start_within_hours_counts_from_itself_and_spills_into_the_next_day():
    assert OFFICE.add(local(2026, 12, 7, 16, 0), timedelta(hours=4)) == local(2026, 12, 8, 12, 0)


def test_counting_back_skips_the_weekend():
    assert OFFICE.subtract(local(2026, 12, 7, 9, 0), timedelta(minutes=15)) == local(2026, 12, 4, 16, 45)


def test_open_and_next_opening():
    assert not OFFICE.is_open(SATURDAY_EVENING)
    assert OFFICE.next_opening(SATURDAY_EVENING) == local(2026, 12, 7, 9, 0)
    assert OFFICE.is_open(local(2026, 12, 7, 9, 0))
    assert not OFFICE.is_open(local(2026, 12, 7, 17, 0))
    assert OFFICE.next_opening(local(2026, 12, 7, 10, 0)) == local(2026, 12, 7, 10, 0)


def test_the_next_opening_after_a_moment_skips_the_weekend_and_the_current_stretch():
    monday_nine = local(2026, 12, 7, 9, 0)
    assert OFFICE.opening_after(SATURDAY_EVENING, monday_nine) == monday_nine
    assert OFFICE.opening_after(SATURDAY_EVENING, monday_nine - timedelta(minutes=1)) is None
    # Open now: the next opening is after it closes (Tuesday), not this moment.
    assert OFFICE.opening_after(local(2026, 12, 7, 10, 0), local(2026, 12, 9)) == local(2026, 12, 8, 9, 0)
    # Touching hours are one stretch; a lunch break is a new opening.
    touching = WorkingCalendar(week=(((9 * 60, 12 * 60), (12 * 60, 17 * 60)),) * 7, zone=LONDON)
    assert touching.opening_after(local(2026, 12, 7, 10, 0), local(2026, 12, 7, 23, 0)) is None
    lunch = WorkingCalendar(week=(((9 * 60, 12 * 60), (13 * 60, 17 * 60)),) * 7, zone=LONDON)
    assert lunch.opening_after(local(2026, 12, 7, 10, 0), local(2026, 12, 7, 23, 0)) == local(2026, 12, 7, 13, 0)
    # The wall clock, and a location open round the clock, never open.
    assert opening_between(None, SATURDAY_EVENING, monday_nine) is None
    assert opening_between(ALWAYS_OPEN, SATURDAY_EVENING, monday_nine) is None
    with pytest.raises(ValueError, match="without a time zone"):
        OFFICE.opening_after(SATURDAY_EVENING, datetime(2026, 12, 7, 9))  # noqa: DTZ001


def test_working_time_between_counts_only_open_time():
    assert OFFICE.between(local(2026, 12, 4, 16, 0), local(2026, 12, 7, 10, 0)) == timedelta(hours=2)
    assert OFFICE.between(local(2026, 12, 7, 10, 0), local(2026, 12, 4, 16, 0)) == -timedelta(hours=2)


def test_several_intervals_a_day():
    lunch = WorkingCalendar(week=(((9 * 60, 12 * 60), (13 * 60, 17 * 60)),) * 7, zone=LONDON)
    assert lunch.add(local(2026, 12, 7, 11, 0), timedelta(hours=2)) == local(2026, 12, 7, 14, 0)


def test_the_spring_change_of_the_clocks_leaves_an_hour_out():
    # 29 March 2026: 01:00 GMT becomes 02:00 BST; open 00:00-24:00 is 23 hours that day.
    assert ALWAYS_OPEN.between(local(2026, 3, 29, 0, 0), local(2026, 3, 30, 0, 0)) == timedelta(hours=23)
    early = WorkingCalendar(week=(((60, 180),),) * 7, zone=LONDON)  # 01:00-03:00, half of it missing
    assert early.between(local(2026, 3, 29, 0, 0), local(2026, 3, 30, 0, 0)) == timedelta(hours=1)
    assert early.add(local(2026, 3, 29, 0, 0), timedelta(minutes=30)) == local(2026, 3, 29, 2, 30)
    night = WorkingCalendar(week=(((0, 24 * 60),),) * 7, zone=LONDON, closed=frozenset({date(2026, 3, 28)}))
    assert night.add(local(2026, 3, 29, 0, 30), timedelta(hours=1)) == local(2026, 3, 29, 2, 30)


def test_the_autumn_change_of_the_clocks_adds_an_hour():
    # 25 October 2026: 02:00 BST becomes 01:00 GMT; 01:00-03:00 local lasts three hours.
    early = WorkingCalendar(week=(((60, 180),),) * 7, zone=LONDON)
    assert early.between(local(2026, 10, 25, 0, 0), local(2026, 10, 26, 0, 0)) == timedelta(hours=3)
    full = WorkingCalendar(week=(((0, 24 * 60),),) * 6 + ((),), zone=LONDON)  # closed on Sundays
    assert full.between(local(2026, 10, 24, 0, 0), local(2026, 10, 26, 0, 0)) == timedelta(hours=24)


@pytest.mark.parametrize(
    ("intervals", "message"),
    [
        ([(22 * 60, 2 * 60)], "Closes before it opens (22:00-02:00)"),
        ([(9 * 60, 9 * 60)], "Closes before it opens (09:00-09:00)"),
        ([(9 * 60, 13 * 60), (12 * 60, 17 * 60)], "overlap on the same day (09:00-13:00 and 12:00-17:00)"),
        ([(9 * 60, 25 * 60)], "run from 00:00 to 24:00"),
    ],
)
def test_a_day_refuses_overnight_overlapping_and_out_of_day_hours(intervals, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_day(intervals)


def test_touching_intervals_are_fine():
    assert check_day([(12 * 60, 17 * 60), (9 * 60, 12 * 60)]) == ((540, 720), (720, 1020))


def test_a_week_with_no_opening_hours_is_refused():
    with pytest.raises(NoOpeningHours, match=NO_OPENING_HOURS):
        WorkingCalendar(week=((),) * 7)


def test_a_location_closed_on_every_opening_day_says_so_rather_than_looping():
    sundays_only = (((),) * 6) + (((9 * 60, 10 * 60),),)
    every_sunday = frozenset(date(2026, 12, 6) + timedelta(weeks=n) for n in range(200))
    calendar = WorkingCalendar(week=sundays_only, zone=LONDON, closed=every_sunday)
    with pytest.raises(NoOpeningHours, match="not open at any time"):
        calendar.add(local(2026, 12, 5, 12, 0), timedelta(hours=1))


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="without a time zone"):
        OFFICE.add(datetime(2026, 12, 5, 20, 0), timedelta(hours=1))  # noqa: DTZ001  # the point of the test


def test_without_a_calendar_it_is_the_wall_clock():
    assert add_working_time(None, SATURDAY_EVENING, timedelta(hours=4)) == SATURDAY_EVENING + timedelta(hours=4)
    assert working_time_between(None, SATURDAY_EVENING, local(2026, 12, 7, 0, 0)) == timedelta(hours=28)


# Property tests: any week of hours, any start, around both changes of the clocks.

minutes = st.integers(min_value=0, max_value=24 * 4).map(lambda quarter: quarter * 15)


@st.composite
def days(draw):
    cuts = sorted(set(draw(st.lists(minutes, max_size=6))))
    pairs = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
    return tuple(pairs)


@st.composite
def calendars(draw):
    week = tuple(draw(days()) for _ in range(7))
    if not any(week):
        week = (((9 * 60, 17 * 60),),) + week[1:]
    start = date(2026, 3, 20)
    closed = frozenset(start + timedelta(days=n) for n in draw(st.lists(st.integers(0, 240), max_size=20)))
    zone = draw(st.sampled_from([LONDON, ZoneInfo("America/New_York"), ZoneInfo("Australia/Sydney"), UTC]))
    return WorkingCalendar(week=week, zone=zone, closed=closed)


# March to November 2026: both of London's changes of the clocks (29 March, 25 October).
instants = st.datetimes(min_value=datetime(2026, 3, 20), max_value=datetime(2026, 11, 10)).map(  # noqa: DTZ001
    lambda naive: naive.replace(tzinfo=UTC)
)
durations = st.integers(min_value=0, max_value=200 * 60).map(lambda m: timedelta(minutes=m))


@settings(max_examples=150, deadline=None)
@given(calendars(), instants, durations)
def test_adding_then_measuring_gives_the_duration_back(calendar, start, duration):
    assert calendar.between(start, calendar.add(start, duration)) == duration


@settings(max_examples=150, deadline=None)
@given(calendars(), instants, durations)
def test_subtracting_then_measuring_gives_the_duration_back(calendar, end, duration):
    assert calendar.between(calendar.subtract(end, duration), end) == duration


@settings(max_examples=150, deadline=None)
@given(calendars(), instants, instants, durations)
def test_a_later_start_never_gives_an_earlier_deadline(calendar, a, b, duration):
    first, second = sorted([a, b])
    assert calendar.add(first, duration) <= calendar.add(second, duration)


@settings(max_examples=150, deadline=None)
@given(calendars(), instants, durations, durations)
def test_more_time_never_gives_an_earlier_deadline(calendar, start, shorter, longer):
    shorter, longer = sorted([shorter, longer])
    assert calendar.add(start, shorter) <= calendar.add(start, longer)


@settings(max_examples=150, deadline=None)
@given(calendars(), instants, durations.filter(bool))
def test_a_deadline_never_lands_in_closed_time(calendar, start, duration):
    due = calendar.add(start, duration)
    # Within an open period, or at its very end (a deadline may fall on closing time).
    just_before = due - timedelta(seconds=1)
    assert calendar.is_open(just_before)
    assert calendar.between(just_before, due) == timedelta(seconds=1)


@settings(max_examples=150, deadline=None)
@given(calendars(), instants)
def test_the_next_opening_is_open_and_nothing_before_it_is(calendar, at):
    opening = calendar.next_opening(at)
    assert opening >= at
    assert calendar.is_open(opening)
    assert calendar.between(at, opening) == timedelta(0)


@settings(max_examples=60, deadline=None)
@given(calendars(), instants, st.integers(min_value=0, max_value=2 * 24 * 60))
def test_the_opening_after_a_moment_is_the_first_minute_open_after_a_closed_one(calendar, at, window):
    by = at + timedelta(minutes=window)
    # The slow way: every whole minute after `at` up to `by`, the first open one whose minute
    # before is closed (hours are whole minutes in every zone drawn).
    minute = at.replace(second=0, microsecond=0) + timedelta(minutes=1)
    expected = None
    while minute <= by:
        if calendar.is_open(minute) and not calendar.is_open(minute - timedelta(minutes=1)):
            expected = minute
            break
        minute += timedelta(minutes=1)
    assert calendar.opening_after(at, by) == expected


@given(instants, durations, st.sampled_from([LONDON, ZoneInfo("America/New_York"), UTC]))
def test_open_round_the_clock_is_wall_clock_arithmetic(start, duration, zone):
    calendar, zoned = WorkingCalendar.always_open(zone), start.astimezone(zone)
    # `start` is in UTC, so `start + duration` is elapsed time whatever the clocks do. (Compared
    # in UTC: Python never finds a time in the autumn's repeated hour equal to one in another zone.)
    assert calendar.add(zoned, duration).astimezone(UTC) == start + duration
    assert calendar.subtract(zoned, duration).astimezone(UTC) == start - duration
    assert calendar.between(zoned, (start + duration).astimezone(zone)) == duration


@settings(max_examples=100, deadline=None)
@given(instants, durations)
def test_round_the_clock_by_the_day_matches_the_shortcut(start, duration):
    # The same week written so the shortcut does not apply (a closed date far away): the long way agrees.
    long_way = WorkingCalendar(week=(((0, 24 * 60),),) * 7, zone=LONDON, closed=frozenset({date(2030, 1, 1)}))
    assert not long_way.is_always_open
    assert long_way.add(start.astimezone(LONDON), duration).astimezone(UTC) == start + duration
    assert long_way.between(start.astimezone(LONDON), start + duration) == duration
