"""Fault drills on the broker, with real workers and a real beat on a private Redis: Redis
restarted mid-dispatch, and two beats running at once by mistake. Each ends with its counts
(lost, sent twice) and, for the restart, the time back to normal.

Beat dispatches every second here (every minute in production), and the follow-ups' lease is
short (AMENDS_FOLLOWUP_LEASE_SECONDS), so the drills take seconds: what Redis lost with its
queue comes back when the lease runs out.
"""

import time
import uuid

import pytest
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from core.mailbox import message_ids
from core.models import Canary
from tests.factories import CaseFactory
from tests.followups.test_worker import due_messages, sent
from tests.followups.workers import Processes, project_app, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

LEASE = {"AMENDS_FOLLOWUP_LEASE_SECONDS": "8"}


@pytest.fixture
def case(postgres, soho, frontline):
    return CaseFactory(location=soho, created_by=frontline)


@pytest.fixture
def dispatch_every_second(postgres):
    """Beat's only entry: the follow-ups' dispatcher, every second."""
    PeriodicTask.objects.all().delete()
    every = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(name="dispatch", task="followups.dispatch", interval=every)


def counts(mail, ids) -> tuple[int, int]:
    """(lost, sent twice) from the mailbox: each follow-up's Message-ID is its own."""
    seen = message_ids(mail)
    return len(ids) - len(seen), sum(count - 1 for count in seen.values())


def test_a_redis_restart_mid_dispatch_loses_nothing_and_every_worker_recovers(case, dispatch_every_second, tmp_path):
    ids = due_messages(case, 600)
    with Processes(tmp_path) as processes:
        server = processes.redis_server()
        broker = server.url()
        # As docs/workers.md runs them (heartbeat, gossip and mingle on): one worker busy
        # sending, one idle on a queue with nothing to do.
        busy = processes.worker(
            "busy", queue="urgent,bulk", broker=broker, pool="prefork", concurrency=2, quiet=False, **LEASE
        )
        idle = processes.worker("idle", queue="reports", broker=broker, quiet=False, **LEASE)
        for worker in (busy, idle):
            worker.wait_ready()
        processes.beat("beat", broker=broker, **LEASE).wait_ready(says="beat: Starting")

        wait_until(lambda: sent(ids) >= 100, timeout=60, what="sending to be under way")
        server.shutdown_nosave()  # what was queued is gone with it
        at_restart = sent(ids)
        time.sleep(5)
        server.start()  # the same port, empty
        back = time.monotonic()
        wait_until(lambda: sent(ids) == len(ids), timeout=90, every=0.5, what="every follow-up after the restart")
        recovered = time.monotonic() - back

        # The idle worker is still there, and consumes.
        token = f"idle-{uuid.uuid4().hex}"
        project = project_app(broker)
        project.send_task("core.canary", kwargs={"token": token}, queue="reports")
        wait_until(lambda: Canary.objects.filter(token=token).exists(), timeout=30, what="the idle worker's canary")
        project.close()
        alive = [worker.name for worker in (busy, idle) if worker.process.poll() is None]
    lost, twice = counts(tmp_path / "mail", ids)
    print(  # noqa: T201 - the drill's counts, shown with pytest -s or -rA
        f"\nRedis restarted with {at_restart} of {len(ids)} sent: lost {lost}, sent twice {twice},"
        f" all sent {recovered:.1f} s after Redis was back (lease {LEASE['AMENDS_FOLLOWUP_LEASE_SECONDS']} s)"
    )
    assert (lost, twice) == (0, 0)
    assert recovered < 60
    assert alive == ["busy", "idle"]


def test_two_beats_at_once_send_nothing_twice(case, dispatch_every_second, tmp_path):
    ids = due_messages(case, 300)
    with Processes(tmp_path) as processes:
        broker = processes.redis_server().url()
        processes.worker("worker", queue="urgent,bulk", broker=broker, pool="prefork", concurrency=2).wait_ready()
        beats = [processes.beat(name, broker=broker) for name in ("beat-one", "beat-two")]
        for beat in beats:
            beat.wait_ready(says="beat: Starting")
        wait_until(lambda: sent(ids) == len(ids), timeout=60, what="every follow-up")
        # A few more rounds of both, with nothing left to send.
        wait_until(
            lambda: all(beat.output.count("Sending due task") >= 5 for beat in beats),
            timeout=30,
            what="both beats to dispatch several times",
        )
    lost, twice = counts(tmp_path / "mail", ids)
    print(f"\ntwo beats: lost {lost}, sent twice {twice}")  # noqa: T201 - the drill's counts
    assert (lost, twice) == (0, 0)
