"""Reading webhook endpoints and their delivery logs, in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from .models import Delivery, Endpoint

LOG_LENGTH = 50


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
