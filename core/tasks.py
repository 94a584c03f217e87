from celery import shared_task
from django.utils.dateparse import parse_datetime

from .services import canary_record


@shared_task(name="core.ping")
def ping(payload: str = "ping") -> str:
    """A round trip through the broker: proves a worker really consumes."""
    return f"pong: {payload}"


@shared_task(name="core.canary", bind=True, ignore_result=True, acks_late=True)
def canary_task(self, token: str = "", sent_at: str = "") -> None:
    """The health check's canary: the worker that consumes it records it in the database.
    Beat sends it every minute with no token (the message's id stands in); `manage.py
    healthcheck` sends its own token and waits for the row."""
    canary_record(
        token=token or self.request.id or "",
        worker=self.request.hostname or "",
        sent_at=parse_datetime(sent_at) if sent_at else None,
    )
