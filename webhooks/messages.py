"""What a webhook says: the event as JSON, and its Standard Webhooks signature.

The body is the event of the log as the API shows it: its id (`evt_123`, also the
`webhook-id` header, the same on every retry so a receiver drops repeats), its kind, when it
happened (ISO 8601 with the offset), the case (id and reference) and location if any, and the
typed payload of cases/events.py. The signature is the Standard Webhooks library's (HMAC-SHA256
over `{id}.{timestamp}.{body}` with the secret, base64, as `v1,<signature>`).
"""

import base64
import json
import secrets
from datetime import UTC, datetime
from typing import Any

from standardwebhooks import Webhook

from cases.models import Event

from .models import message_id

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A secret in the Standard Webhooks format: `whsec_` and 24 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def body_of(event: Event) -> dict[str, Any]:
    """The JSON of one event (its case and location read from the instance: select them)."""
    case, location = event.case, event.location
    return {
        "id": message_id(event.pk),
        "kind": event.kind,
        "created_at": event.created_at.isoformat(),
        "case": None if case is None else {"id": case.pk, "reference": case.reference},
        "location": None if location is None else {"id": location.pk, "code": location.code, "name": location.name},
        "subject": event.subject,
        "actor_id": event.actor_id,
        "payload": event.payload,
    }


def encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def signed_headers(*, secret: str, webhook_id: str, body: bytes, now: datetime) -> dict[str, str]:
    """The headers of one try: its id, its time (Unix seconds) and the signature over both and the body."""
    at = datetime.fromtimestamp(int(now.timestamp()), tz=UTC)
    return {
        "content-type": "application/json",
        "user-agent": "Amends-Webhooks/1",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(webhook_id, at, body.decode()),
    }
