"""When a failed delivery is tried again (pure: no Django): a webhook, a follow-up's message.

Exponential backoff with jitter: the first retry after about `first` seconds, each wait
twice the last, none longer than `longest`; each wait is drawn between half and all of that,
so many deliveries that failed together (a receiver that was down) do not all come back in
the same second. A chain of retries gives up once `give_up_after` has passed since it started.
"""

from collections.abc import Callable
from datetime import datetime, timedelta


def retry_delay(
    attempts: int, *, random: Callable[[], float], first: float = 30.0, longest: float = 3600.0
) -> timedelta:
    """How long to wait after the `attempts`-th failed try (1 for the first); `random()` in [0, 1)."""
    ceiling = min(longest, first * 2 ** max(0, min(attempts - 1, 30)))
    return timedelta(seconds=ceiling * (0.5 + random() / 2))


def next_attempt(
    *,
    attempts: int,
    now: datetime,
    started: datetime,
    give_up_after: timedelta,
    random: Callable[[], float],
    first: float = 30.0,
    longest: float = 3600.0,
) -> datetime | None:
    """When to try again after a failure, or None: the chain has run its course. Never past
    the chain's end, so the last try is at its end rather than none at all."""
    if now - started >= give_up_after:
        return None
    return min(now + retry_delay(attempts, random=random, first=first, longest=longest), started + give_up_after)
