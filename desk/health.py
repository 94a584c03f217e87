"""Is Amends working? Read by the health pages (desk/views/home.py; docs/deploy.md says which
probe asks which):

- liveness (/health/live/): the process answers. Nothing else is asked, the database least of
  all: a process manager restarts a process that fails it, and restarting cannot mend a
  database.
- readiness (/health/ready/, and /health/ as before): the database answers, the broker takes a
  connection, a worker consumed a canary lately (beat sends one every minute), and no due
  follow-up has waited too long for a worker to take it. It never sends a task and waits for
  it: it reads what the workers left in the database, so a busy queue cannot make it slow.
  `manage.py healthcheck` is the round trip, for a worker's own host.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from core.models import Canary
from core.tasks import canary_task
from followups.selectors import claimable_since, failed_total, oldest_due_unsent_at

# How long the readiness check waits for the broker to take a connection.
BROKER_TIMEOUT_SECONDS = 2


@dataclass(frozen=True)
class Limits:
    """When readiness says failing (settings AMENDS_HEALTH_*, in seconds)."""

    canary_stale_after: timedelta
    followup_late_after: timedelta


def limits() -> Limits:
    return Limits(
        canary_stale_after=timedelta(seconds=settings.AMENDS_HEALTH_CANARY_STALE_SECONDS),
        followup_late_after=timedelta(seconds=settings.AMENDS_HEALTH_FOLLOWUP_LATE_SECONDS),
    )


def _seconds(delta: timedelta) -> int:
    return max(int(delta.total_seconds()), 0)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def broker_problem(*, timeout: int = BROKER_TIMEOUT_SECONDS) -> str | None:
    """None when the broker takes a connection within `timeout` seconds, else why not. One try:
    a probe that retried would answer later than the load balancer waits."""
    app = canary_task.app
    with app.connection_for_write(connect_timeout=timeout) as broker:
        try:
            broker.ensure_connection(max_retries=0, timeout=timeout)
        # Each transport fails in its own way (socket errors, redis-py's, kombu's): all mean down.
        except Exception as error:
            return f"The broker at {broker.as_uri()} does not answer: {error}"
    return None


def health_report(*, now: datetime | None = None) -> tuple[bool, dict]:
    """(ready, report): the readiness check. Ready means the database answers, the broker takes a
    connection, a canary was consumed within AMENDS_HEALTH_CANARY_STALE_SECONDS and no due
    follow-up a worker could take has waited longer than AMENDS_HEALTH_FOLLOWUP_LATE_SECONDS.
    Follow-ups held back on purpose (in flight under their lease, or waiting out a retry's
    backoff) are not late: only those nobody has taken. Failed follow-ups are reported, not
    judged: managers act on those in the app."""
    now = now or timezone.now()
    bounds = limits()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        latest = Canary.objects.order_by("-consumed_at").values("consumed_at", "worker").first()
        followups = _followups(now)
    except DatabaseError as error:
        return False, {"status": "failing", "problems": [f"The database does not answer: {error}"], "database": "down"}

    problems = []
    broker_down = broker_problem()
    if broker_down:
        problems.append(broker_down)
    canary: dict[str, object] = {"last_consumed_at": None, "age_seconds": None, "worker": None}
    if latest is None:
        problems.append("No worker has ever consumed a canary: are a worker and beat running?")
    else:
        age = now - latest["consumed_at"]
        canary = {
            "last_consumed_at": _iso(latest["consumed_at"]),
            "age_seconds": _seconds(age),
            "worker": latest["worker"],
        }
        if age > bounds.canary_stale_after:
            problems.append(f"No worker has consumed a canary for {_seconds(age)} s: are a worker and beat running?")
    canary["stale_after_seconds"] = _seconds(bounds.canary_stale_after)
    late = followups["waiting_for_a_worker_seconds"]
    if late is not None and late > _seconds(bounds.followup_late_after):
        problems.append(f"A due follow-up has waited {late} s for a worker to take it: is beat running the dispatcher?")
    followups["late_after_seconds"] = _seconds(bounds.followup_late_after)
    return not problems, {
        "status": "failing" if problems else "ok",
        "problems": problems,
        "database": "ok",
        "broker": "down" if broker_down else "ok",
        "canary": canary,
        "followups": followups,
    }


def _followups(now: datetime) -> dict:
    # The health page reports on sending, the one thing a dead worker stops (which is why it
    # lives on the top floor). "Waiting for a worker": what the dispatcher would claim now, and
    # since when it could have (held back on purpose is not waiting).
    oldest = oldest_due_unsent_at(now)
    since = claimable_since(now)
    return {
        "oldest_due_unsent_at": _iso(oldest),
        "oldest_due_unsent_age_seconds": _seconds(now - oldest) if oldest else None,
        "waiting_for_a_worker_seconds": _seconds(now - since) if since else None,
        "failed": failed_total(),
    }
