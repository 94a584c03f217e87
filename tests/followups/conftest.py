"""What the real-worker tests share: a queue of their own on the shared Redis, and a short lease."""

import uuid

import pytest

from .workers import forget_queue

# The lease the real-worker tests give the dispatcher and their workers (30 s by default).
LEASE_SECONDS = 3


@pytest.fixture
def queue(redis_url):
    name = f"amends-test-followups-{uuid.uuid4().hex[:8]}"
    yield name
    forget_queue(redis_url, name)


@pytest.fixture
def short_lease(settings):
    settings.AMENDS_FOLLOWUP_LEASE_SECONDS = LEASE_SECONDS
