"""Handing claimed work to a queue (no Django import): the one loop the follow-ups' and the
webhooks' dispatchers share."""

import time
from collections.abc import Callable


def hand_out(
    *,
    claim: Callable[[int], list[int]],
    release: Callable[[list[int]], object],
    enqueue: Callable[[list[int]], object],
    batch: int,
    chunk: int,
    budget_seconds: float,
) -> int:
    """Claim up to `batch` ids at a time (`claim`, which leases them) and hand them to
    `enqueue`, `chunk` at a time, until a claim comes back short or `budget_seconds` are spent
    (the next run carries on). Ids that could not be enqueued are released at once, so the next
    run claims them instead of waiting out their lease. How many were handed out."""
    started, total = time.monotonic(), 0
    while True:
        ids = claim(batch)
        for position in range(0, len(ids), chunk):
            try:
                enqueue(ids[position : position + chunk])
            except Exception:
                release(ids[position:])
                raise
        total += len(ids)
        if len(ids) < batch or time.monotonic() - started > budget_seconds:
            return total
