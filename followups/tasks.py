"""Follow-up tasks: interfaces only. Each takes ids, re-reads rows and calls one service."""

import logging

from celery import shared_task

from .digest import digest_recipients, followup_digest_send
from .selectors import for_staff
from .services import followups_dispatch
from .services.decisions import decision_email_send, decision_notify, decision_of
from .services.sending import followups_send_chunk

log = logging.getLogger(__name__)

# Ids a send task takes: a message and a database connection a chunk instead of a row
# (the worker closes its connection after every task), each row still sent in its own
# transaction. Small enough to keep both of a worker's processes busy.
SEND_CHUNK = 50
# A chunk stops starting sends after this long and gives the rest back to the next sweep,
# well inside the soft time limit: this plus EMAIL_TIMEOUT (one send that hangs) under 60 s.
SEND_BUDGET_SECONDS = 40


@shared_task(name="followups.dispatch", ignore_result=True)
def followups_dispatch_task(batch: int = 500) -> int:
    """Every minute (beat): claim what is due, in batches, and ring the doorbell for each chunk. Ids only."""
    return followups_dispatch(enqueue=_enqueue, batch=batch, chunk=SEND_CHUNK)


def _enqueue(followup_ids: list[int]) -> None:
    """Reminders and escalations to staff go to their own task (the urgent queue, see
    settings.AMENDS_QUEUES), so ten thousand messages to customers queued before them never
    hold them up; the rest of the chunk to the bulk queue."""
    staff = for_staff(followup_ids)
    if staff:
        followups_send_to_staff_task.delay([pk for pk in followup_ids if pk in staff])
    if len(staff) < len(followup_ids):
        followups_send_task.delay([pk for pk in followup_ids if pk not in staff])


@shared_task(name="followups.send", ignore_result=True, acks_late=True)
def followup_send_task(followup_id: int) -> bool:
    """Send one follow-up (a failure is recorded on it and retried later by the dispatcher)."""
    return followups_send_chunk(ids=[followup_id], budget_seconds=SEND_BUDGET_SECONDS) == 1


@shared_task(name="followups.send_many", ignore_result=True, acks_late=True)
def followups_send_task(followup_ids: list[int]) -> int:
    """Send a chunk of follow-ups, one by one, each as `followup.send` would (its own lock,
    guard and transaction); what they all need is read once. Returns how many this sent."""
    return followups_send_chunk(ids=followup_ids, budget_seconds=SEND_BUDGET_SECONDS)


@shared_task(name="followups.send_to_staff", ignore_result=True, acks_late=True)
def followups_send_to_staff_task(followup_ids: list[int]) -> int:
    """Send a chunk of reminders and escalations to staff: `followups.send_many` on the urgent queue."""
    return followups_send_task(followup_ids)


@shared_task(name="followups.digest", ignore_result=True)
def followups_digest_task() -> int:
    """Hourly (beat): ring the doorbell for each person's digest; each sends once a day."""
    ids = digest_recipients()
    for user_id in ids:
        followup_digest_task.delay(user_id)
    return len(ids)


@shared_task(name="followups.digest_one", ignore_result=True, acks_late=True)
def followup_digest_task(user_id: int) -> bool:
    """One person's digest; a mail failure leaves it for the next hourly run."""
    try:
        return followup_digest_send(user_id=user_id)
    except OSError as error:
        log.warning("Digest for user %s not sent, will retry next hour: %s", user_id, error)
        return False


@shared_task(
    name="followups.decision_email_send",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def decision_email_send_task(event_id: int) -> None:
    """Email a proposer the decision on their proposal; retried while the mail server is down."""
    decision_email_send(event_id=event_id)


@shared_task(name="recovery.proposal_decided_notify", ignore_result=True)
def proposal_decided_notify_task(proposal_id: int) -> None:
    """What the release before the event log queued for a decision (it wrote the notification
    in the task, not with the decision): messages still in the broker after an upgrade are
    drained here rather than lost. Notifies the proposer, then emails them as a decision does now."""
    event = decision_of(proposal_id)
    if event is None:
        log.warning("No decision recorded for proposal %s: nothing to tell", proposal_id)
        return
    if decision_notify(event).proposed_by.email:
        decision_email_send_task.delay(event.pk)
