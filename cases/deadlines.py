"""The first-contact deadline's clock: the wall clock, or the location's working time where the
recovery policy says so.

The switch is the recovery policy's, and recovery sits above cases in the stack: it registers how
to read the switch here when it starts (RecoveryConfig.ready), as the higher apps react to the
cases' events, so cases never imports it. With nothing registered, deadlines are on the wall clock.
"""

from collections.abc import Callable

from accounts.selectors import working_calendar
from accounts.working_time import WorkingCalendar

_readers: list[Callable[[], bool]] = []


def read_switch_with(reader: Callable[[], bool]) -> None:
    """Say how to read "count deadlines in working time" (the policy in force)."""
    _readers[:] = [reader]


def in_working_time() -> bool:
    return any(reader() for reader in _readers)


def deadline_calendar(location_id: int) -> WorkingCalendar | None:
    """The location's working time where deadlines are counted in it; None: the wall clock.
    A location open round the clock with no closed day is the wall clock too."""
    return working_calendar(location_id, in_working_time())
