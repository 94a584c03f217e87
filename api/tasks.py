"""The API's tasks: interfaces only."""

import logging

from celery import shared_task

from .services import idempotency_keys_sweep

logger = logging.getLogger(__name__)


@shared_task(name="api.idempotency_keys_sweep", ignore_result=True)
def idempotency_keys_sweep_task() -> int:
    """Nightly (beat): forget the idempotency keys older than AMENDS_API_IDEMPOTENCY_HOURS."""
    deleted = idempotency_keys_sweep()
    logger.info("api.idempotency_keys_sweep: %s keys forgotten", deleted)
    return deleted
