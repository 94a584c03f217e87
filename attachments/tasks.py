"""Attachments' tasks: interfaces only."""

import logging

from celery import shared_task

from .services import attachments_sweep

logger = logging.getLogger(__name__)


# Reading every folder of a large bucket takes a while: more than the default minute. A run cut
# short loses nothing; the next day's reads the folders again.
@shared_task(name="attachments.sweep", ignore_result=True, soft_time_limit=25 * 60, time_limit=30 * 60)
def attachments_sweep_task() -> int:
    """Daily (beat): delete the stored files no attachment names, past the grace period."""
    report = attachments_sweep()
    logger.info("attachments.sweep: %s", report.summary())
    return len(report.deleted)
