"""Is Amends working? The database answers, a worker consumed a canary lately, and what
waits to be sent. Read by /health/ (desk/views/home.py); `manage.py healthcheck` sends a
canary of its own and waits for it.
"""

from datetime import datetime, timedelta

from django.db import DatabaseError, connection
from django.db.models import Min
from django.utils import timezone

from core.models import Canary
from followups.models import FollowUp

# Beat sends a canary every minute: three missed in a row means no worker is consuming
# (or beat, or the broker, is down).
CANARY_STALE_AFTER = timedelta(minutes=3)


def _seconds(delta: timedelta) -> int:
    return max(int(delta.total_seconds()), 0)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def health_report(*, now: datetime | None = None) -> tuple[bool, dict]:
    """(healthy, report). Healthy means the database answers and a canary was consumed within
    CANARY_STALE_AFTER. Follow-ups waiting past their time and those that failed are reported
    for whoever watches, but do not make the check fail: managers act on those in the app."""
    now = now or timezone.now()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        latest = Canary.objects.order_by("-consumed_at").values("consumed_at", "worker").first()
        followups = _followups(now)
    except DatabaseError as error:
        return False, {"status": "failing", "problems": [f"The database does not answer: {error}"], "database": "down"}

    problems = []
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
        if age > CANARY_STALE_AFTER:
            problems.append(f"No worker has consumed a canary for {_seconds(age)} s: are a worker and beat running?")
    canary["stale_after_seconds"] = _seconds(CANARY_STALE_AFTER)
    return not problems, {
        "status": "failing" if problems else "ok",
        "problems": problems,
        "database": "ok",
        "canary": canary,
        "followups": followups,
    }


def _followups(now: datetime) -> dict:
    # The health page reports on sending, the one thing a dead worker stops (which is why it
    # lives on the top floor). Both counts ride on the partial indexes of followups.FollowUp.
    due = FollowUp.objects.filter(state="scheduled", due_at__lte=now).aggregate(oldest=Min("due_at"))
    oldest = due["oldest"]
    return {
        "oldest_due_unsent_at": _iso(oldest),
        "oldest_due_unsent_age_seconds": _seconds(now - oldest) if oldest else None,
        "failed": FollowUp.objects.filter(state="failed").count(),
    }
