"""Error reports to Sentry (sentry-sdk), only when SENTRY_DSN is set: nothing is set up otherwise.

Called from config/settings.py, so it runs in every process (web, worker, beat, commands) before
Django handles anything. No personal data is sent (send_default_pii off: no user, address,
cookies or request body); each report is tagged with its request id (core/request_ids.py), so it
leads to the request's and its tasks' log lines.
https://docs.sentry.io/platforms/python/integrations/django/
"""

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.types import Event, Hint

from core.request_ids import current_request_id


def sentry_init(
    *, dsn: str, release: str = "", environment: str = "", traces_sample_rate: float = 0.0, transport: Any = None
) -> bool:
    """Set Sentry up when a DSN is given; say whether it was. `transport` is for tests only."""
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        release=release or None,
        environment=environment or None,
        send_default_pii=False,
        traces_sample_rate=traces_sample_rate,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=tag_request_id,
        transport=transport,
    )
    return True


def tag_request_id(event: Event, hint: Hint) -> Event:
    request_id = current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event
