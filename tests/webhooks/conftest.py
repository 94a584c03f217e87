import pytest

from bench.webhook_receiver import Receiver
from cases import events
from cases.events import Kind
from webhooks.services import deliveries_send, webhooks_dispatch

# The case's kinds: the factories' users and locations are logged too.
CASE_KINDS = [Kind.CASE_NOTE_ADDED, Kind.CASE_STATE_CHANGED, Kind.FOLLOWUP_SENT]


def note(case, text="A note"):
    return events.record(kind=Kind.CASE_NOTE_ADDED, payload=events.Empty(), case=case, note=text)


def dispatch() -> int:
    """The dispatcher with its chunks sent in this process (a worker's job)."""
    sent = []
    webhooks_dispatch(enqueue=lambda ids: sent.append(deliveries_send(ids=ids).delivered))
    return sum(sent)


@pytest.fixture
def local_network(settings):
    """A receiver on this machine: plain HTTP to loopback allowed, as in development."""
    settings.AMENDS_WEBHOOKS_ALLOW_PRIVATE = True
    return settings


@pytest.fixture
def receiver():
    running = Receiver().start()
    yield running
    running.stop()
