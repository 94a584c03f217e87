from celery import shared_task


@shared_task(name="core.ping")
def ping(payload: str = "ping") -> str:
    """A round trip through the broker: proves a worker really consumes."""
    return f"pong: {payload}"
