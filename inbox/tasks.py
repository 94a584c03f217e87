"""Inbox tasks: interfaces only."""

import logging

from celery import shared_task
from django.conf import settings

from .imap import inbox_fetch_imap

logger = logging.getLogger(__name__)


@shared_task(name="inbox.fetch_imap", ignore_result=True, soft_time_limit=50, time_limit=55)
def inbox_fetch_imap_task() -> int:
    """Every minute (beat): read the mailbox, if one is configured. A run cut short by its time
    limit loses nothing: what it did not mark seen is read again next minute."""
    if not settings.AMENDS_IMAP_URL:
        return 0
    return inbox_fetch_imap().read
