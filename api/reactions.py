"""What the API does when something below it happens (cases.events.react_to)."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from cases import events
from cases.models import Case, Event
from customers.models import Customer

from .models import IdempotencyKey


@events.react_to(events.Kind.CUSTOMER_ERASED)
def forget_answers_naming(event: Event, payload: Any) -> None:
    """A customer's erasure reaches the answers kept for retries (`Idempotency-Key`, a day): those
    that name them or hold one of their cases are forgotten, as an expired key is. Recorded before
    the customer's details are blanked (privacy.services), so they can still be searched for."""
    customer = Customer.objects.get(pk=payload.customer_id)
    case_ids = list(Case.objects.filter(customer=customer).values_list("pk", flat=True))
    # The notes put on their cases through the API while a key may still be kept (older ones are swept).
    kept_since = event.created_at - timedelta(hours=settings.AMENDS_API_IDEMPOTENCY_HOURS)
    notes = Event.objects.filter(case_id__in=case_ids, kind=Event.Kind.CASE_NOTE_ADDED, created_at__gte=kept_since)
    note_ids = list(notes.values_list("pk", flat=True))
    about = Q(response__customer__id=customer.pk) | Q(response__case__id__in=case_ids)
    about |= Q(response__id=customer.pk, response__has_key="anonymised")  # a customer's own answer
    about |= Q(response__id__in=case_ids, response__has_key="customer")  # a case's
    about |= Q(response__id__in=note_ids, response__has_key="note")  # a note's
    words = [word for word in (customer.name, customer.email, customer.phone) if word]
    for word in words:
        about |= Q(as_text__icontains=word)
    IdempotencyKey.objects.annotate(as_text=Cast("response", TextField())).filter(about).delete()
