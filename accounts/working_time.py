"""A location's working time: when it is open, and deadlines counted only in open time (no Django import).

A `WorkingCalendar` is a week of opening hours (per weekday, zero or more intervals in
minutes from midnight, local time), the dates it is closed (its own closed dates and the
public holidays of its country) and its time zone. Durations are real elapsed time: an
hour open across a change of the clocks is still sixty minutes, and a day open
00:00-24:00 lasts 23 or 25 hours when the clocks change (zoneinfo does the arithmetic).

Overnight intervals are refused (split them at midnight: 22:00-24:00, then 00:00-02:00
the next day); a week with no opening hours at all is refused too (`NoOpeningHours`):
nothing could ever fall due. A location that has set no hours is open all the time
(`ALWAYS_OPEN`), which is exactly wall-clock arithmetic.
"""

from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from core.translatable import gettext_noop

MINUTES_A_DAY = 24 * 60
# How far to look for an opening before giving up: closed dates can in principle cover
# every opening day; three years of them is a calendar nobody keeps by mistake.
SEARCH_DAYS = 3 * 366

# The owner reads these beside the opening hours (accounts/forms.py translates them there).
OVERNIGHT = gettext_noop(
    "Closes before it opens ({opens}-{closes}): split hours past midnight into two (…-24:00, then 00:00-…)."
)
OUT_OF_DAY = gettext_noop("Opening hours run from 00:00 to 24:00 ({opens}-{closes} does not).")
OVERLAP = gettext_noop("Opening hours overlap on the same day ({first} and {second}).")
DAY_MESSAGES = (OVERNIGHT, OUT_OF_DAY, OVERLAP)
NO_OPENING_HOURS = "A week with no opening hours at all: nothing would ever fall due."
NEVER_OPEN = "The location is not open at any time in {days} days from {start}: check its closed dates."
NAIVE = "A time without a time zone cannot be placed in a location's working time."

Interval = tuple[int, int]  # minutes from local midnight: [opens, closes), closes up to 1440


class NoOpeningHours(ValueError):
    """The week has no opening hours, or no opening can be found at all."""


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def check_day(intervals: list[Interval]) -> tuple[Interval, ...]:
    """One day's intervals, sorted; raises ValueError (with a message for the owner) if one is
    overnight, outside the day, or overlaps another. Touching intervals are fine."""
    ordered = sorted(intervals)
    for opens, closes in ordered:
        if not 0 <= opens <= MINUTES_A_DAY or not 0 <= closes <= MINUTES_A_DAY:
            raise ValueError(OUT_OF_DAY.format(opens=hhmm(opens), closes=hhmm(closes)))
        if closes <= opens:
            raise ValueError(OVERNIGHT.format(opens=hhmm(opens), closes=hhmm(closes)))
    for (o1, c1), (o2, c2) in zip(ordered, ordered[1:], strict=False):
        if o2 < c1:
            raise ValueError(OVERLAP.format(first=f"{hhmm(o1)}-{hhmm(c1)}", second=f"{hhmm(o2)}-{hhmm(c2)}"))
    return tuple(ordered)


def _utc(naive: datetime, zone: tzinfo) -> datetime:
    """A local wall time as an instant. An ambiguous time (clocks going back) is its first
    occurrence; a time that does not exist (clocks going forward) is the moment of the change,
    so that wall-clock intervals map to instants in order and never overlap."""
    instant = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == naive:
        return instant
    # In the gap: the change lies between the two readings of the wall time; find its minute.
    low, high = naive.replace(tzinfo=zone, fold=1).astimezone(UTC), instant
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
            low = middle
        else:
            high = middle
    # Changes happen on the minute; `high` is the first instant with the new offset.
    step = high.replace(second=0, microsecond=0)
    return step if step.astimezone(zone).utcoffset() == high.astimezone(zone).utcoffset() else high


def _shift(at: datetime, duration: timedelta) -> datetime:
    """`at + duration` in elapsed time: Python adds to the wall clock of a zoned time, so that
    a day after 00:30 on the day the clocks go forward would be 23 hours later."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(NAIVE)
    return (at.astimezone(UTC) + duration).astimezone(at.tzinfo)


def _elapsed(a: datetime, b: datetime) -> timedelta:
    if a.tzinfo is None or b.tzinfo is None:
        raise ValueError(NAIVE)
    return b.astimezone(UTC) - a.astimezone(UTC)


@dataclass(frozen=True)
class WorkingCalendar:
    """When a location is open. `week[0]` is Monday; each day's intervals are checked on creation."""

    week: tuple[tuple[Interval, ...], ...]
    zone: tzinfo = field(default=UTC)
    closed: frozenset[date] = frozenset()
    holidays: Container[date] = frozenset()

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise ValueError("A week has seven days.")
        object.__setattr__(self, "week", tuple(check_day(list(day)) for day in self.week))
        if not any(self.week):
            raise NoOpeningHours(NO_OPENING_HOURS)

    @classmethod
    def always_open(cls, zone: tzinfo = UTC) -> "WorkingCalendar":
        return cls(week=(((0, MINUTES_A_DAY),),) * 7, zone=zone)

    @property
    def is_always_open(self) -> bool:
        """Open round the clock with no closed day: working time is wall-clock time."""
        return (
            all(day == ((0, MINUTES_A_DAY),) for day in self.week)
            and not self.closed
            and isinstance(self.holidays, frozenset | set)
            and not self.holidays
        )

    def is_closed_on(self, day: date) -> bool:
        return day in self.closed or day in self.holidays

    def _day(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """The open periods of a local date, as instants (UTC), in order."""
        if self.is_closed_on(day):
            return
        midnight = datetime.combine(day, time())
        for opens, closes in self.week[day.weekday()]:
            start = _utc(midnight + timedelta(minutes=opens), self.zone)
            end = _utc(midnight + timedelta(minutes=closes), self.zone)
            if start < end:
                yield start, end

    def _local_date(self, at: datetime) -> date:
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError(NAIVE)
        return at.astimezone(self.zone).date()

    def periods_from(self, at: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Open periods from `at` on (the current one cut at `at`), in UTC, oldest first."""
        day = self._local_date(at)
        at = at.astimezone(UTC)
        last_open = day
        while (day - last_open).days <= SEARCH_DAYS:
            for start, end in self._day(day):
                if end > at:
                    last_open = day
                    yield max(start, at), end
            day += timedelta(days=1)
        raise NoOpeningHours(NEVER_OPEN.format(days=SEARCH_DAYS, start=last_open.isoformat()))

    def periods_before(self, at: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Open periods up to `at` (the current one cut at `at`), in UTC, newest first."""
        day = self._local_date(at)
        at = at.astimezone(UTC)
        last_open = day
        while (last_open - day).days <= SEARCH_DAYS:
            for start, end in reversed(list(self._day(day))):
                if start < at:
                    last_open = day
                    yield start, min(end, at)
            day -= timedelta(days=1)
        raise NoOpeningHours(NEVER_OPEN.format(days=SEARCH_DAYS, start=last_open.isoformat()))

    def is_open(self, at: datetime) -> bool:
        """Open at this instant (an interval includes its opening minute, not its closing one)."""
        day = self._local_date(at)
        at = at.astimezone(UTC)
        return any(start <= at < end for start, end in self._day(day))

    def next_opening(self, at: datetime) -> datetime:
        """`at` itself if open then, else the next moment it opens (in `at`'s time zone)."""
        start, _ = next(self.periods_from(at))
        return start.astimezone(at.tzinfo)

    def opening_after(self, at: datetime, by: datetime) -> datetime | None:
        """The first moment after `at`, and not after `by`, at which the location opens (it was
        closed just before): on Saturday, Monday's opening; while open, its next opening after
        it closes. None if it does not open in between (in `at`'s time zone)."""
        if by.tzinfo is None or by.utcoffset() is None:
            raise ValueError(NAIVE)
        limit = by.astimezone(UTC)
        previous_end = None
        for begin, end in self.periods_from(at):
            if begin > limit:
                return None
            # Touching periods (12:00-14:00 then 14:00-18:00, or across midnight) are one stretch.
            if begin > at and begin != previous_end:
                return begin.astimezone(at.tzinfo)
            previous_end = end
        raise AssertionError("periods_from never ends without raising")  # pragma: no cover

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The moment `duration` of open time after `start` (a start outside hours counts from
        the next opening). A deadline can fall on a closing time: 4 hours from 13:00 is 17:00
        that day, not the next opening. A negative duration counts back (`subtract`)."""
        if duration < timedelta(0):
            return self.subtract(start, -duration)
        if not duration or self.is_always_open:
            return _shift(start, duration)
        left = duration
        for begin, end in self.periods_from(start):
            if end - begin >= left:
                return (begin + left).astimezone(start.tzinfo)
            left -= end - begin
        raise AssertionError("periods_from never ends without raising")  # pragma: no cover

    def subtract(self, end: datetime, duration: timedelta) -> datetime:
        """The moment `duration` of open time before `end` (counting back from the last closing
        if `end` is outside hours): a reminder 15 minutes before a 09:00 callback on Monday is
        at 16:45 on Friday when the location shuts at 17:00 and all weekend."""
        if duration < timedelta(0):
            return self.add(end, -duration)
        if not duration or self.is_always_open:
            return _shift(end, -duration)
        left = duration
        for begin, finish in self.periods_before(end):
            if finish - begin >= left:
                return (finish - left).astimezone(end.tzinfo)
            left -= finish - begin
        raise AssertionError("periods_before never ends without raising")  # pragma: no cover

    def between(self, a: datetime, b: datetime) -> timedelta:
        """Open time from `a` to `b` (negative when `b` is before `a`)."""
        if b < a:
            return -self.between(b, a)
        if self.is_always_open:
            return _elapsed(a, b)
        total = timedelta(0)
        b = b.astimezone(UTC)
        for begin, end in self.periods_from(a):
            if begin >= b:
                break
            total += min(end, b) - begin
        return total


ALWAYS_OPEN = WorkingCalendar.always_open()


def add_working_time(calendar: WorkingCalendar | None, start: datetime, duration: timedelta) -> datetime:
    """`start + duration` counted in the calendar's open time; on the wall clock without one."""
    return _shift(start, duration) if calendar is None else calendar.add(start, duration)


def subtract_working_time(calendar: WorkingCalendar | None, end: datetime, duration: timedelta) -> datetime:
    """`end - duration` counted in the calendar's open time; on the wall clock without one."""
    return _shift(end, -duration) if calendar is None else calendar.subtract(end, duration)


def working_time_between(calendar: WorkingCalendar | None, a: datetime, b: datetime) -> timedelta:
    return _elapsed(a, b) if calendar is None else calendar.between(a, b)


def is_open(calendar: WorkingCalendar | None, at: datetime) -> bool:
    return calendar is None or calendar.is_open(at)


def next_opening(calendar: WorkingCalendar | None, at: datetime) -> datetime:
    return at if calendar is None else calendar.next_opening(at)


def opening_between(calendar: WorkingCalendar | None, after: datetime, by: datetime) -> datetime | None:
    """The location's first opening after `after` and not after `by` (None: none; the wall clock never opens)."""
    return None if calendar is None or calendar.is_always_open else calendar.opening_after(after, by)


def zone(name: str) -> ZoneInfo:
    """The time zone of this name (ZoneInfoNotFoundError, a KeyError, if there is none)."""
    return ZoneInfo(name)
