"""Delivering the event log to the endpoints: fan out, claim, send, record; each idempotent.

The log is the outbox. The fan-out reads it by id, past each endpoint's cursor, and makes one
delivery row per (endpoint, event) wanted (a unique constraint: twice makes one). It does not
trust the order in which ids commit: a transaction that took id 100 may commit after the one
that took 101, so the cursor only moves to the log's last id as seen `settle` seconds ago, and
each fan-out looks again at everything past it that has no delivery yet. Only a transaction
that stays open longer than `settle` after writing to the log could be missed.

The claim is the follow-ups' (followups/services/sending.py): pending rows that are due, under
SKIP LOCKED, leased for a while, the lease doubling as "not before" if the worker dies. In order
per case: a row is not claimed while an earlier event of its case to the same endpoint is
pending. The request goes out with no transaction open; its outcome is written afterwards,
guarded by the row still being pending.
"""

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, Field, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.models import User
from accounts.role import Role
from cases.models import Event
from core.batches import hand_out
from core.services import notify

from .. import addresses, http, messages
from ..models import Delivery, Endpoint
from ..retries import next_attempt

log = logging.getLogger(__name__)

FAILED_FOR_GOOD = gettext_noop("Webhook to {url}: an event could not be delivered for a day and is marked failed.")


def _setting_seconds(name: str) -> timedelta:
    return timedelta(seconds=getattr(settings, name))


def lease() -> timedelta:
    return _setting_seconds("AMENDS_WEBHOOKS_LEASE_SECONDS")


def give_up_after() -> timedelta:
    return _setting_seconds("AMENDS_WEBHOOKS_RETRY_SECONDS")


def endpoint_fan_out(*, endpoint_id: int, now: datetime | None = None, batch: int = 5000) -> int:
    """Make the delivery rows of the events the endpoint wants past its cursor; returns how many
    were made (`batch` at most: call again while it returns `batch`)."""
    now = now or timezone.now()
    with transaction.atomic():
        # Blocking, not SKIP LOCKED: two fan-outs of one endpoint take turns, and the second
        # sees what the first could not (it read the log later).
        endpoint = Endpoint.objects.select_for_update().filter(pk=endpoint_id, is_active=True).first()
        if endpoint is None:
            return 0
        last = Event.objects.aggregate(last=Max("id"))["last"] or 0
        wanted = Event.objects.filter(pk__gt=endpoint.cursor, pk__lte=last).exclude(
            Exists(Delivery.objects.filter(endpoint_id=endpoint.pk, event_id=OuterRef("pk")))
        )
        if endpoint.kinds:
            wanted = wanted.filter(kind__in=endpoint.kinds)
        location_ids = list(endpoint.locations.values_list("pk", flat=True))
        if location_ids:
            wanted = wanted.filter(location_id__in=location_ids)
        rows = list(wanted.order_by("pk").values_list("pk", "case_id")[:batch])
        Delivery.objects.bulk_create(
            [
                Delivery(
                    endpoint_id=endpoint.pk,
                    event_id=event_id,
                    case_id=case_id,
                    next_attempt_at=now,
                    chain_started_at=now,
                )
                for event_id, case_id in rows
            ],
            ignore_conflicts=True,
        )
        seen = rows[-1][0] if len(rows) == batch else last
        settle = _setting_seconds("AMENDS_WEBHOOKS_SETTLE_SECONDS")
        if endpoint.scanned_at is None or now - endpoint.scanned_at >= settle:
            # What was the log's end `settle` ago is surely in: the cursor moves there.
            endpoint.cursor = max(endpoint.cursor, endpoint.scanned_to)
            endpoint.scanned_to, endpoint.scanned_at = seen, now
            endpoint.save(update_fields=["cursor", "scanned_to", "scanned_at"])
    return len(rows)


def deliveries_fan_out(*, now: datetime | None = None, batch: int = 5000) -> int:
    """Fan out the log to every active endpoint, until each is up to date."""
    total = 0
    for endpoint_id in Endpoint.objects.filter(is_active=True).values_list("pk", flat=True):
        while True:
            made = endpoint_fan_out(endpoint_id=endpoint_id, now=now, batch=batch)
            total += made
            if made < batch:
                break
    return total


def deliveries_claim_due(*, now: datetime | None = None, batch: int = 500) -> list[int]:
    """Claim up to `batch` due deliveries of active endpoints and return their ids: the first
    pending one of each case (to each endpoint), never two of a case at once."""
    now = now or timezone.now()
    earlier = Delivery.objects.filter(
        endpoint_id=OuterRef("endpoint_id"),
        case_id=OuterRef("case_id"),
        state=Delivery.State.PENDING,
        event_id__lt=OuterRef("event_id"),
    )
    with transaction.atomic():
        ids = list(
            # OF the delivery only: the join to its endpoint must not lock (and so skip) the endpoint.
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state=Delivery.State.PENDING, next_attempt_at__lte=now, endpoint__is_active=True)
            .exclude(claimed_until__gt=now)
            .exclude(Q(case_id__isnull=False) & Exists(earlier))
            .order_by("event_id")
            .values_list("pk", flat=True)[:batch]
        )
        if ids:
            Delivery.objects.filter(pk__in=ids).update(claimed_until=now + lease())
    return ids


def deliveries_release(*, ids: list[int]) -> int:
    """Give back claimed rows that never reached the queue (the broker was down)."""
    return Delivery.objects.filter(pk__in=ids, state=Delivery.State.PENDING).update(claimed_until=None)


@dataclass(frozen=True)
class Sent:
    delivered: int = 0
    failed: int = 0  # for good
    retrying: int = 0


# Outcomes written together: one transaction (one commit, the slow part of a write) per this many sends.
WRITE_EVERY = 50


def deliveries_send(
    *, ids: list[int], now: Callable[[], datetime] = timezone.now, budget_seconds: float = 40.0
) -> Sent:
    """Send the claimed deliveries `ids`, one request each, in the log's order; the outcomes
    written `WRITE_EVERY` at a time. A row no longer pending, or whose lease ran out (another
    worker may have it now), is left alone. What the time budget does not reach is given back.

    A worker that dies between a send and its write leaves that row to be sent again when its
    lease runs out: with the same webhook-id, which the receiver drops."""
    rows = list(
        Delivery.objects.filter(pk__in=ids, state=Delivery.State.PENDING, claimed_until__gte=now())
        .select_related("endpoint", "event__case", "event__location")
        .order_by("event_id")
    )
    targets: dict[int, addresses.Target | addresses.Refused] = {}
    started = now()
    outcomes: list[tuple[Delivery, http.Answer, datetime]] = []
    states: list[str] = []
    for position, delivery in enumerate(rows):
        if (now() - started).total_seconds() > budget_seconds:
            deliveries_release(ids=[row.pk for row in rows[position:]])
            break
        endpoint = delivery.endpoint
        if endpoint.pk not in targets:
            # Resolved and checked once a chunk (and so at each send, not only at registration).
            try:
                targets[endpoint.pk] = addresses.check(
                    endpoint.url, allow_private=settings.AMENDS_WEBHOOKS_ALLOW_PRIVATE
                )
            except addresses.Refused as error:
                targets[endpoint.pk] = error
        target = targets[endpoint.pk]
        if isinstance(target, addresses.Refused):
            answer = http.Answer(status=None, duration_ms=0, error=str(target)[:500])
        else:
            body = messages.encode(messages.body_of(delivery.event))
            headers = messages.signed_headers(
                secret=endpoint.secret, webhook_id=delivery.webhook_id, body=body, now=now()
            )
            answer = http.post(
                target,
                body=body,
                headers=headers,
                connect=settings.AMENDS_WEBHOOKS_CONNECT_TIMEOUT,
                read=settings.AMENDS_WEBHOOKS_READ_TIMEOUT,
                ca_bundle=settings.AMENDS_WEBHOOKS_CA_BUNDLE,
            )
        outcomes.append((delivery, answer, now()))
        if len(outcomes) >= WRITE_EVERY:
            states += deliveries_record(outcomes=outcomes)
            outcomes = []
    states += deliveries_record(outcomes=outcomes)
    return Sent(
        delivered=states.count(Delivery.State.DELIVERED),
        failed=states.count(Delivery.State.FAILED),
        retrying=states.count(Delivery.State.PENDING),
    )


def _outcome(delivery: Delivery, answer: http.Answer, now: datetime) -> Delivery:
    """The row as one try leaves it: delivered; or pending again after a backoff; or, past a
    day of tries, failed."""
    delivery.attempts += 1
    delivery.last_status, delivery.last_duration_ms = answer.status, answer.duration_ms
    delivery.last_error, delivery.last_attempt_at, delivery.claimed_until = answer.error, now, None
    if answer.ok:
        delivery.state, delivery.delivered_at = Delivery.State.DELIVERED, now
        return delivery
    retry_at = next_attempt(
        attempts=delivery.attempts,
        now=now,
        started=delivery.chain_started_at,
        give_up_after=give_up_after(),
        random=random.random,
    )
    if retry_at is None:
        delivery.state = Delivery.State.FAILED
    else:
        delivery.next_attempt_at = retry_at
    return delivery


_WRITTEN = [
    "attempts",
    "last_status",
    "last_duration_ms",
    "last_error",
    "last_attempt_at",
    "claimed_until",
    "state",
    "delivered_at",
    "next_attempt_at",
]


def _column(name: str) -> str:
    field = Delivery._meta.get_field(name)
    assert isinstance(field, Field) and field.column  # concrete columns, by construction of _WRITTEN
    return field.column


def _update_sql() -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(_column(name))} = %s" for name in _WRITTEN)
    return f"UPDATE {quote(Delivery._meta.db_table)} SET {columns} WHERE id = %s AND state = %s"


def _update_params(row: Delivery) -> list[Any]:
    field_values: list[Any] = []
    for name in _WRITTEN:
        value = getattr(row, name)
        field_values.append(connection.ops.adapt_datetimefield_value(value) if isinstance(value, datetime) else value)
    return [*field_values, row.pk, Delivery.State.PENDING.value]


def deliveries_record(*, outcomes: list[tuple[Delivery, http.Answer, datetime]]) -> list[str]:
    """Write tries' outcomes in one transaction, each only if its row is still pending (a
    replayed or redelivered row is not overwritten); the owners are told of the failures
    (once an hour per endpoint). Returns each try's new state."""
    if not outcomes:
        return []
    rows = [_outcome(delivery, answer, now) for delivery, answer, now in outcomes]
    with transaction.atomic(), connection.cursor() as cursor:
        # One plain UPDATE a row, sent together (psycopg pipelines executemany): building the
        # ORM's bulk_update (a CASE a column) cost more than the requests themselves.
        cursor.executemany(_update_sql(), [_update_params(row) for row in rows])
        for endpoint_id in {row.endpoint_id for row in rows if row.state == Delivery.State.FAILED}:
            _tell_owners(endpoint_id, outcomes[-1][2])
    return [str(row.state) for row in rows]


def delivery_record(*, delivery: Delivery, answer: http.Answer, now: datetime) -> str:
    """One try's outcome written (see deliveries_record). Returns the new state."""
    return deliveries_record(outcomes=[(delivery, answer, now)])[0]


def _tell_owners(endpoint_id: int, now: datetime) -> None:
    """An in-app notification to every owner, at most once an hour for an endpoint (a receiver
    down for a day fails every event it missed)."""
    told = (
        Endpoint.objects.filter(pk=endpoint_id)
        .filter(Q(failure_told_at__isnull=True) | Q(failure_told_at__lte=now - timedelta(hours=1)))
        .update(failure_told_at=now)
    )
    if not told:
        return
    endpoint = Endpoint.objects.get(pk=endpoint_id)
    url = reverse("webhooks:endpoint", args=[endpoint_id]) + "?state=failed"
    for owner in User.objects.filter(groups__name=Role.OWNER.value, is_active=True):
        notify(user=owner, text=FAILED_FOR_GOOD.format(url=endpoint.url), url=url)


def webhooks_dispatch(
    *,
    enqueue: Callable[[list[int]], object],
    batch: int = 500,
    chunk: int = 100,
    budget_seconds: float = 45.0,
    now: datetime | None = None,
) -> int:
    """Fan the log out, then claim what is due in batches and hand the ids to `enqueue`, `chunk`
    at a time, until nothing is due or the time is spent (the next run carries on)."""
    deliveries_fan_out(now=now)
    return hand_out(
        claim=lambda size: deliveries_claim_due(batch=size, now=now),
        release=lambda ids: deliveries_release(ids=ids),
        enqueue=enqueue,
        batch=batch,
        chunk=chunk,
        budget_seconds=budget_seconds,
    )
