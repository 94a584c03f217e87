"""Reading webhook endpoints and their delivery logs, in a fixed number of queries."""

import time
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from .models import Delivery, Endpoint

LOG_LENGTH = 50
# How long this process trusts what it last read of "is any endpoint active?" (seconds).
LISTENING_MEMO_SECONDS = 30
_listening: tuple[float, bool] | None = None  # (read at, by time.monotonic(); the answer)


def endpoints_listening() -> bool:
    """Whether any endpoint is active, as this process read it at most LISTENING_MEMO_SECONDS ago:
    the doorbell asks after every commit that wrote to the log, and a business with no webhooks
    should pay no cache or broker round trip for them. A first endpoint registered in another
    process is heard within that time; beat's dispatch every minute delivers meanwhile."""
    global _listening
    now = time.monotonic()
    if _listening is None or now - _listening[0] > LISTENING_MEMO_SECONDS:
        _listening = (now, Endpoint.objects.filter(is_active=True).exists())
    return _listening[1]


def endpoints_forget() -> None:
    """Read `endpoints_listening` afresh next time (this process changed the endpoints)."""
    global _listening
    _listening = None


@dataclass(frozen=True)
class EndpointRow:
    endpoint: Endpoint
    pending: int
    failed: int
    delivered: int


def endpoint_rows() -> list[EndpointRow]:
    """Every endpoint with how many of its deliveries wait, failed and went (one query)."""
    endpoints = Endpoint.objects.prefetch_related("locations").annotate(
        pending=Count("deliveries", filter=Q(deliveries__state=Delivery.State.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__state=Delivery.State.FAILED)),
        delivered=Count("deliveries", filter=Q(deliveries__state=Delivery.State.DELIVERED)),
    )
    return [
        EndpointRow(endpoint=endpoint, pending=endpoint.pending, failed=endpoint.failed, delivered=endpoint.delivered)
        for endpoint in endpoints.order_by("id")
    ]


def delivery_log(endpoint: Endpoint, *, state: str = "") -> QuerySet[Delivery]:
    """The endpoint's latest deliveries (`state` only, if given), newest first, with their events."""
    log = Delivery.objects.filter(endpoint=endpoint).select_related("event", "event__case")
    if state:
        log = log.filter(state=state)
    return log.order_by("-id")[:LOG_LENGTH]


def failed_count(endpoint: Endpoint) -> int:
    return Delivery.objects.filter(endpoint=endpoint, state=Delivery.State.FAILED).count()
