"""What /metrics reports beyond each process's own counts, read when Prometheus scrapes: how far
behind the sending of follow-ups and webhooks is, what failed, and what waits in the broker.

Each database figure is one query on a partial index (their EXPLAIN at a million cases is in
docs/operations.md), so a scrape every 15 s costs next to nothing. A source that does not answer
makes its figures missing and `amends_metrics_source_up` 0, never the scrape fail: an alert on
the figures must not go quiet because the database is down (alert on the source too).
"""

from collections.abc import Iterator
from datetime import datetime
from typing import cast

from celery import Celery, current_app
from django.db import DatabaseError
from django.utils import timezone
from kombu.exceptions import ChannelError, OperationalError
from kombu.transport.virtual import Channel as VirtualChannel
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from redis import RedisError

from followups.selectors import failed_total, oldest_due_unsent_at
from webhooks.models import Delivery

# A scrape must not hang on a broker that does not answer.
BROKER_TIMEOUT_SECONDS = 2.0
REDIS_SCHEMES = ("redis://", "rediss://", "sentinel://")


class BacklogCollector(Collector):
    def __init__(self, *, app: Celery | None = None, now: datetime | None = None) -> None:
        self.app = app or current_app
        self.now = now

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "amends_metrics_source_up",
            "1 when the source answered this scrape; 0 and its figures missing when it did not.",
            labels=["source"],
        )
        try:
            figures = database_figures(self.now or timezone.now())
        except DatabaseError:
            up.add_metric(["database"], 0)
        else:
            up.add_metric(["database"], 1)
            yield from figures
        if is_redis(self.app.conf.broker_url or ""):
            try:
                lengths = queue_lengths(self.app)
            except (OperationalError, RedisError, OSError):
                up.add_metric(["broker"], 0)
            else:
                up.add_metric(["broker"], 1)
                queues = GaugeMetricFamily(
                    "amends_celery_queue_length",
                    "Messages waiting in the broker's queue, not yet taken by a worker.",
                    labels=["queue"],
                )
                for queue, length in lengths.items():
                    queues.add_metric([queue], length)
                yield queues
        yield up


def database_figures(now: datetime) -> list[Metric]:
    """The four figures, read now (a list, so that a database error is raised here)."""
    oldest_due = oldest_due_unsent_at(now)
    failed_followups = failed_total()
    # The oldest pending delivery by the log's order (the dispatcher's own partial index), and when
    # its event happened: how long a receiver has been kept waiting.
    oldest_pending = (
        Delivery.objects.filter(state=Delivery.State.PENDING)
        .order_by("event_id")
        .values_list("event__created_at", flat=True)
        .first()
    )
    failed_deliveries = Delivery.objects.filter(state=Delivery.State.FAILED).count()
    return [
        GaugeMetricFamily(
            "amends_followup_lag_seconds",
            "Age of the oldest follow-up due and not yet sent; 0 when none waits.",
            value=_age(now, oldest_due),
        ),
        GaugeMetricFamily(
            "amends_followups_failed",
            "Follow-ups that could not be sent (failed), waiting for a manager.",
            value=failed_followups,
        ),
        GaugeMetricFamily(
            "amends_webhook_lag_seconds",
            "Age of the event behind the oldest pending webhook delivery; 0 when none is pending.",
            value=_age(now, oldest_pending),
        ),
        GaugeMetricFamily(
            "amends_webhook_deliveries_failed",
            "Webhook deliveries given up on (failed) after a day of retries.",
            value=failed_deliveries,
        ),
    ]


def _age(now: datetime, moment: datetime | None) -> float:
    return max((now - moment).total_seconds(), 0.0) if moment else 0.0


def is_redis(broker_url: str) -> bool:
    return broker_url.startswith(REDIS_SCHEMES)


def queue_names(app: Celery) -> list[str]:
    """The default queue, the declared ones and those the routes name."""
    conf = app.conf
    names = {conf.task_default_queue}
    names.update(queue.name for queue in conf.task_queues or ())
    routes = conf.task_routes
    if isinstance(routes, dict):
        names.update(route["queue"] for route in routes.values() if isinstance(route, dict) and "queue" in route)
    return sorted(names)


def queue_lengths(app: Celery) -> dict[str, int]:
    """Each queue's length in the broker. kombu's passive declare reads it (on Redis, the list's
    length at each priority); a queue Redis does not hold is empty."""
    timeouts = {"socket_timeout": BROKER_TIMEOUT_SECONDS, "socket_connect_timeout": BROKER_TIMEOUT_SECONDS}
    lengths = {}
    with app.connection_for_read(transport_options=timeouts) as connection:
        # The Redis transport's channels are kombu's virtual ones, which read a queue's length.
        channel = cast(VirtualChannel, connection.channel())
        try:
            for queue in queue_names(app):
                try:
                    lengths[queue] = channel.queue_declare(queue=queue, passive=True).message_count
                except ChannelError:
                    lengths[queue] = 0
        finally:
            channel.close()
    return lengths
