"""Privacy's task: an interface only."""

import logging

from celery import shared_task

from .retention import customers_retention_sweep

logger = logging.getLogger(__name__)


# Anonymising thousands of customers the first night the rule is turned on takes a while; a run
# cut short keeps what it did (a transaction each) and the next night's takes the rest.
@shared_task(name="privacy.retention_sweep", ignore_result=True, soft_time_limit=50 * 60, time_limit=55 * 60)
def customers_retention_sweep_task() -> int:
    """Nightly (beat): anonymise the customers with no activity for the retention period."""
    report = customers_retention_sweep()
    logger.info("privacy.retention_sweep: %s", report.summary())
    return len(report.customer_ids)
