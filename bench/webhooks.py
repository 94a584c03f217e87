"""The webhook burst benchmark: `count` events of the log to one endpoint, through a real worker
and broker (bench/dispatch.py's `Celeries`), to a real receiver on loopback that checks every
signature (bench/webhook_receiver.py).

The events are written first (`cases`' cases, each with `count / cases` notes, so the order per
case is exercised), then one `webhooks.dispatch` is sent, as the doorbell or beat would; the
seconds run from it to the last delivery's `delivered_at`. The receiver counts what it got
twice and what it never got. The data lives at a location of its own and is deleted afterwards.
"""

import time
import uuid
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Location
from cases import events
from cases.events import Kind
from cases.models import Case, Event
from customers.models import Customer
from webhooks.messages import new_secret
from webhooks.models import Delivery, Endpoint
from webhooks.tasks import DOORBELL_KEY

from .dispatch import Celeries, MachineLoad
from .webhook_receiver import Receiver

CODE = "bench-webhooks"


def stage_events(count: int, cases: int) -> tuple[Location, list[int]]:
    """A location of the bench's own with `cases` cases and `count` notes among them, in turn."""
    location, _ = Location.objects.get_or_create(code=CODE, defaults={"name": "Bench (webhooks)"})
    now = timezone.now()
    # The bench sends its own dispatch to its worker's queue: the doorbell of this process
    # (whose broker no worker reads here) is kept quiet while it writes.
    cache.set(DOORBELL_KEY, 1, timeout=600)
    with transaction.atomic():
        customer = Customer.objects.create(name="Bench customer", home_location=location)
        made = Case.objects.bulk_create(
            Case(
                customer=customer,
                location=location,
                channel="in_person",
                category="delay",
                description="Webhook bench",
                occurred_at=now,
                order_value=Decimal("10.00"),
                sla_due_at=now,
                created_at=now,
                submission_token=uuid.uuid4(),
            )
            for _ in range(cases)
        )
        for index in range(count):
            case = made[index % cases]
            events.record_fast(
                kind=Kind.CASE_NOTE_ADDED,
                payload=events.Empty(),
                case_id=case.pk,
                location_id=location.pk,
                note=f"Bench note {index}",
                now=now,
            )
    return location, [case.pk for case in made]


def remove(location: Location) -> None:
    Endpoint.objects.filter(description=CODE).delete()
    Event.objects.filter(location=location).delete()
    Case.objects.filter(location=location).delete()
    Customer.objects.filter(home_location=location).delete()
    location.delete()
    cache.delete(DOORBELL_KEY)


def burst(celeries: Celeries, receiver: Receiver, *, count: int, cases: int) -> dict:
    """One run: an endpoint registered, `count` events written, one dispatch, until all are delivered."""
    Endpoint.objects.filter(description=CODE).delete()
    start = Event.objects.aggregate(last=Max("id"))["last"] or 0
    endpoint = Endpoint.objects.create(
        url=receiver.url,
        description=CODE,
        secret=new_secret(),
        kinds=[Kind.CASE_NOTE_ADDED],  # the notes it writes (its location is logged too)
        cursor=start,
        scanned_to=start,
        scanned_at=timezone.now(),
    )
    receiver.secret = endpoint.secret
    receiver.received.clear()
    location, _ = stage_events(count, cases)
    try:
        load = MachineLoad()
        started_at = timezone.now()
        celeries.app.send_task("webhooks.dispatch")
        next_sweep = time.monotonic() + 60

        def all_delivered() -> bool:
            nonlocal next_sweep
            if time.monotonic() > next_sweep:  # as beat would
                celeries.app.send_task("webhooks.dispatch")
                next_sweep += 60
            return Delivery.objects.filter(endpoint=endpoint, state=Delivery.State.DELIVERED).count() == count

        celeries.wait(all_delivered, 600, f"{count} webhooks to be delivered", every=0.5)
        finished_at = Delivery.objects.filter(endpoint=endpoint).aggregate(last=Max("delivered_at"))["last"]
        assert finished_at is not None
        seconds = (finished_at - started_at).total_seconds()
        accepted = [item.webhook_id for item in receiver.accepted]
        wanted = {f"evt_{pk}" for pk in Delivery.objects.filter(endpoint=endpoint).values_list("event_id", flat=True)}
        return {
            "seconds": round(seconds, 2),
            "per_second": round(count / seconds),
            "duplicates": len(accepted) - len(set(accepted)),
            "missing": len(wanted - set(accepted)),
            "bad_signatures": sum(not item.verified for item in receiver.received),
            **load.summary(),
        }
    finally:
        remove(location)
