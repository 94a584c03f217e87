"""Webhooks' services: endpoints (registering, changing, replaying) and delivery (the outbox)."""

from .delivery import (
    deliveries_claim_due,
    deliveries_fan_out,
    deliveries_record,
    deliveries_release,
    deliveries_send,
    delivery_record,
    endpoint_fan_out,
    webhooks_dispatch,
)
from .endpoints import (
    ALL_KINDS,
    deliveries_replay,
    endpoint_create,
    endpoint_delete,
    endpoint_rotate_secret,
    endpoint_update,
    url_check,
)

__all__ = [
    "ALL_KINDS",
    "deliveries_claim_due",
    "deliveries_fan_out",
    "deliveries_release",
    "deliveries_replay",
    "deliveries_send",
    "deliveries_record",
    "delivery_record",
    "endpoint_create",
    "endpoint_delete",
    "endpoint_fan_out",
    "endpoint_rotate_secret",
    "endpoint_update",
    "url_check",
    "webhooks_dispatch",
]
