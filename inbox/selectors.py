from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.roles import location_ids_of

from .models import InboundMessage

WINDOW = timedelta(days=30)


def inbox_rows(user: User) -> QuerySet[InboundMessage]:
    """The last 30 days' inbound mail the user may see, newest first: at their locations (the
    case's, or the location it was sent to); owners see all, mail that named no location too.
    The raw message is not read (deferred): the page shows what became of each."""
    rows = (
        InboundMessage.objects.filter(received_at__gte=timezone.now() - WINDOW)
        .select_related("case", "location")
        .defer("raw")
    )
    location_ids = location_ids_of(user)
    if location_ids is not None:
        rows = rows.filter(Q(location_id__in=location_ids))
    return rows.order_by("-received_at", "-id")
