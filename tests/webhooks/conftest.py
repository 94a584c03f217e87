import pytest

from bench.webhook_receiver import Receiver


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
