"""Webhook tasks: interfaces only. Each takes ids (or nothing), re-reads rows and calls services.

The doorbell rings after each transaction that wrote to the event log commits; it enqueues the
dispatcher at most once a second (a dispatcher due in a second sees everything committed before
it runs). Beat runs the dispatcher every minute too, the safety net: the database is the truth.
"""

import logging

from celery import shared_task
from django.core.cache import cache

from .selectors import endpoints_listening
from .services import deliveries_send, webhooks_dispatch

log = logging.getLogger(__name__)

DOORBELL_KEY = "webhooks:doorbell"
DOORBELL_SECONDS = 1


def doorbell() -> None:
    """Enqueue the dispatcher, unless one is already due within the second. Never raises: the
    change that rang is committed, and the request that made it must not fail for a broker."""
    try:
        if endpoints_listening() and cache.add(DOORBELL_KEY, 1, timeout=DOORBELL_SECONDS):
            # Runs after the key has gone: what rang while it was there is committed by then.
            webhooks_dispatch_task.apply_async(countdown=DOORBELL_SECONDS + 0.2)
    except Exception:  # the broker or the cache is down: beat's run delivers it within a minute
        log.exception("Webhooks' doorbell could not ring; beat's next dispatch will deliver")


@shared_task(name="webhooks.dispatch", ignore_result=True, soft_time_limit=60, time_limit=90)
def webhooks_dispatch_task() -> int:
    """Fan the log out to the endpoints and ring for each chunk of due deliveries. Ids only."""
    return webhooks_dispatch(enqueue=webhooks_send_task.delay)


@shared_task(name="webhooks.send", ignore_result=True, acks_late=True, soft_time_limit=60, time_limit=90)
def webhooks_send_task(delivery_ids: list[int]) -> int:
    """Send a chunk of claimed deliveries; if any went, ring again for the next of their cases."""
    sent = deliveries_send(ids=delivery_ids)
    if sent.delivered or sent.failed:
        doorbell()
    return sent.delivered
