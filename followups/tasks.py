import logging

from celery import shared_task

from core.exceptions import ApplicationError

from .services import followup_claim_due, followup_record_failure, followup_send

log = logging.getLogger(__name__)


@shared_task(name="followups.dispatch")
def followups_dispatch_task(batch: int = 100) -> int:
    """Every minute (beat): claim the due follow-ups and ring the doorbell for each. Ids only."""
    ids = followup_claim_due(batch=batch)
    for followup_id in ids:
        followup_send_task.delay(followup_id)
    return len(ids)


@shared_task(name="followups.send", bind=True, max_retries=4, acks_late=True)
def followup_send_task(self, followup_id: int) -> bool:
    """Send one follow-up; a mail failure is retried with backoff, then recorded."""
    try:
        return followup_send(followup_id=followup_id)
    except OSError as error:  # the mail server refused or is unreachable
        followup_record_failure(followup_id=followup_id, error=str(error))
        raise self.retry(exc=error, countdown=min(2**self.request.retries * 30, 600)) from error
    except ApplicationError as error:
        log.warning("Follow-up %s not sent: %s", followup_id, error.message)
        followup_record_failure(followup_id=followup_id, error=error.message)
        return False
