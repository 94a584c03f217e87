"""Nothing is lost and nothing is sent twice, with real workers, real Redis and PostgreSQL.

Each test starts `celery worker` processes on the test database (so the test's
transactions really commit) and counts the Message-IDs of the mail files they
write. The test process plays the dispatcher: `followups_dispatch` claims due
rows and rings the doorbell (`followups.send_many`, a chunk of ids) on a queue of its own.

The honest limit: sending and committing "sent" cannot be one atomic step. A
worker killed after the mail left and before the commit would send that one
again when the row is claimed after its lease (at least once in that window; the
stable Message-ID lets the receiver recognise the repeat). The kill below lands
before the mail is written, the window where exactly once is owed.
"""

import os
import signal
import threading
from datetime import timedelta

import pytest
import redis
from django.db import connection
from django.utils import timezone
from kombu.exceptions import OperationalError

from core.mailbox import message_ids
from followups.models import FollowUp
from followups.plans import Purpose
from followups.services import followups_dispatch
from tests.factories import CaseFactory

from .conftest import LEASE_SECONDS
from .workers import Doorbell, Processes, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


@pytest.fixture
def case(postgres, soho, frontline):
    return CaseFactory(location=soho, created_by=frontline)


def due_messages(case, count: int, **fields) -> list[int]:
    """Messages to the customer, due a minute ago, as the plans make them."""
    past = timezone.now() - timedelta(minutes=1)
    rows = FollowUp.objects.bulk_create(
        FollowUp(
            case=case,
            kind=FollowUp.Kind.CUSTOMER_MESSAGE,
            purpose=Purpose.REMEDY_MESSAGE.value,
            channel=FollowUp.Channel.EMAIL,
            subject="What we did",
            body=f"We refunded you ({number}).",
            due_at=past,
            **fields,
        )
        for number in range(count)
    )
    return [row.pk for row in rows]


def sent(ids) -> int:
    return FollowUp.objects.filter(pk__in=ids, state="sent").count()


def each_once(ids) -> dict[str, int]:
    return {f"<followup-{pk}@amends>": 1 for pk in ids}


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(case, redis_url, queue, short_lease, tmp_path):
    ids = due_messages(case, 30)
    held, mail = tmp_path / "held", tmp_path / "mail"
    doorbell = Doorbell(redis_url, queue)
    with Processes(tmp_path) as processes:
        first = processes.worker(
            "first", queue=queue, broker=redis_url, TEST_MAIL_HOLD_AT="8", TEST_MAIL_HELD=str(held)
        )
        # Six messages of five ids each.
        assert followups_dispatch(enqueue=doorbell, batch=30, chunk=5) == 30
        # The worker is in the middle of its eighth send (the second chunk's third): the row
        # locked, the mail not yet written.
        pid = int(wait_until(lambda: held.exists() and held.read_text(), timeout=60, what="the eighth send"))
        os.kill(pid, signal.SIGKILL)
        first.kill()
        assert sum(message_ids(mail).values()) == sent(ids) == 7

        processes.worker("second", queue=queue, broker=redis_url)
        # The rest of the queue goes out. The killed chunk's message is gone with its worker
        # (unacknowledged: Redis would give it back only after an hour), so the killed send
        # and the two after it in that chunk wait for their lease.
        wait_until(lambda: sent(ids) == 27, timeout=60, what="the rest of the queue")
        waiting = list(FollowUp.objects.filter(pk__in=ids).exclude(state="sent"))
        assert [row.pk for row in waiting] == ids[7:10]
        # No try was recorded: the killed send's outcome is unknown, the two after it never began.
        assert {(row.state, row.attempts, row.sent_at) for row in waiting} == {("scheduled", 0, None)}

        # Their lease runs out, the next sweep claims them again, and they go.
        lease_end = max(row.claimed_until for row in waiting)
        wait_until(lambda: timezone.now() > lease_end, timeout=LEASE_SECONDS + 5, what="the lease")
        assert followups_dispatch(enqueue=doorbell) == 3
        wait_until(lambda: sent(ids) == 30, timeout=30, what="the killed chunk")
    doorbell.close()
    assert message_ids(mail) == each_once(ids)
    assert set(FollowUp.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == {1}


def test_a_redis_restart_loses_no_follow_up(case, redis_url, short_lease, tmp_path):
    held, release, mail = tmp_path / "held", tmp_path / "release", tmp_path / "mail"
    queue = "followups"
    queued = due_messages(case, 20)
    with Processes(tmp_path) as processes:
        server = processes.redis_server()
        broker = server.url()
        processes.worker(
            "worker",
            queue=queue,
            broker=broker,
            TEST_MAIL_HOLD_AT="1",
            TEST_MAIL_HELD=str(held),
            TEST_MAIL_RELEASE=str(release),
        ).wait_ready()
        doorbell = Doorbell(broker, queue)
        assert followups_dispatch(enqueue=doorbell, chunk=5) == 20
        # The worker holds its first send; three chunks of five wait in Redis.
        wait_until(held.exists, timeout=30, what="the first send")
        assert redis_length(broker, queue) == 3

        server.shutdown_nosave()  # the queued messages are gone
        later = due_messages(case, 10)
        # While Redis is down the sweep fails, and gives back what it claimed: the next
        # sweep takes those rows at once, without waiting for a lease or losing an attempt.
        with pytest.raises(OperationalError):
            followups_dispatch(enqueue=doorbell, chunk=5)
        assert set(FollowUp.objects.filter(pk__in=later).values_list("claimed_until", "attempts")) == {(None, 0)}

        server.start()  # the same port, empty
        release.touch()  # the held chunk finishes; the worker reconnects
        everything = queued + later
        # Each sweep sends what is claimable: the released rows at once, the lost ones
        # after their lease.
        wait_until(
            lambda: followups_dispatch(enqueue=doorbell) >= 0 and sent(everything) == 30,
            timeout=60,
            every=1,
            what="every follow-up after the restart",
        )
        doorbell.close()
    assert message_ids(mail) == each_once(everything)


def redis_length(broker: str, queue: str) -> int:
    return redis.Redis.from_url(broker).llen(queue)


def test_two_workers_and_two_dispatchers_at_once_send_each_follow_up_once(
    case, redis_url, queue, short_lease, tmp_path
):
    ids = due_messages(case, 300)
    mail = tmp_path / "mail"
    with Processes(tmp_path) as processes:
        workers = [processes.worker(name, queue=queue, broker=redis_url) for name in ("one", "two")]
        for worker in workers:
            worker.wait_ready()
        # Every chunk rung twice in a row, as if redelivered: the two workers take the two
        # messages for the same rows at the same moment and go down them side by side.
        doorbells = [Doorbell(redis_url, queue, rings=2) for _ in range(2)]
        barrier = threading.Barrier(2)
        claimed: list[int] = []
        errors: list[Exception] = []

        def dispatcher(doorbell):
            try:
                barrier.wait(timeout=10)
                claimed.append(followups_dispatch(enqueue=doorbell, batch=25))
            except Exception as error:  # noqa: BLE001 - asserted on below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=dispatcher, args=(doorbell,)) for doorbell in doorbells]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        first, second = (set(doorbell.rung) for doorbell in doorbells)
        assert not first & second and first | second == set(ids) and sum(claimed) == 300
        wait_until(lambda: sent(ids) == 300, timeout=90, what="all 300 to be sent")
        # Let the duplicate messages behind the last send be consumed too.
        wait_until(lambda: redis_length(redis_url, queue) == 0, timeout=30, what="the queue to drain")
        for doorbell in doorbells:
            doorbell.close()
        handled = {worker.name: worker.output.count("succeeded in") for worker in workers}
    assert message_ids(mail) == each_once(ids)
    # Both workers did part of the work.
    assert all(count > 0 for count in handled.values()), handled
    assert FollowUp.objects.filter(pk__in=ids, attempts=1).count() == 300
