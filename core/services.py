from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import Canary, Notification

# Canaries older than this are deleted as new ones arrive: one a minute is 1,440 rows a day.
CANARY_KEPT_FOR = timedelta(days=1)


def notify(*, user: Any, text: str, url: str = "") -> Notification:
    """Put a message in someone's in-app inbox. `user` is settings.AUTH_USER_MODEL's row: the
    ground floor names no domain app, not even for the type checker."""
    return Notification.objects.create(user=user, text=text[:300], url=url)


@transaction.atomic
def notifications_mark_read(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def canary_record(
    *, token: str, worker: str = "", sent_at: datetime | None = None, now: datetime | None = None
) -> Canary:
    """Record that a worker consumed the canary `token`. Recording the same token twice (a
    redelivered message) keeps the first; canaries older than a day are dropped."""
    now = now or timezone.now()
    canary, _ = Canary.objects.get_or_create(
        token=token, defaults={"worker": worker[:200], "sent_at": sent_at, "consumed_at": now}
    )
    Canary.objects.filter(consumed_at__lt=now - CANARY_KEPT_FOR).delete()
    return canary
