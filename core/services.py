from django.db import transaction
from django.utils import timezone

from .models import Notification


def notify(*, user, text: str, url: str = "") -> Notification:
    """Put a message in someone's in-app inbox."""
    return Notification.objects.create(user=user, text=text[:300], url=url)


@transaction.atomic
def notifications_mark_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
