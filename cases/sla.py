"""When must the customer first hear from us? (no Django import)

Someone standing at the counter or on the phone has been spoken to already;
written channels get a deadline for the first reply.
"""

from datetime import datetime, timedelta

FIRST_CONTACT_WITHIN = {
    "in_person": timedelta(0),
    "phone": timedelta(0),
    "chat": timedelta(hours=1),
    "email": timedelta(hours=4),
    "online_review": timedelta(hours=24),
    # The customer's own report on the location's page: a reply within a day.
    "online": timedelta(hours=24),
}

LIVE_CHANNELS = frozenset(channel for channel, delay in FIRST_CONTACT_WITHIN.items() if not delay)


def first_contact_due(channel: str, logged_at: datetime) -> datetime:
    return logged_at + FIRST_CONTACT_WITHIN[channel]


def contacted_on_logging(channel: str) -> bool:
    """True where logging the case is itself the first contact (the customer is there)."""
    return channel in LIVE_CHANNELS


def is_overdue(*, sla_due_at: datetime, first_contact_at: datetime | None, closed: bool, now: datetime) -> bool:
    """Nobody has reached the customer and the deadline has passed. Closed cases never are."""
    return not closed and first_contact_at is None and sla_due_at < now
