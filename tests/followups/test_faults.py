"""Fault drills on the follow-ups' sending, with a real worker, Redis, PostgreSQL and a counting
SMTP server on loopback. Each ends with its counts: lost (neither sent nor failed where managers
see it) and duplicated (accepted twice by the mail server), printed and asserted.

- a mail server refusing with 451 for a while, then back: all sent, none failed, each message
  with one Message-ID however often it was tried;
- a mail server refusing with 550: failed at once, shown to managers, never tried again;
- a mail server that hangs on one message: the others of its chunk go within the timeout;
- the database away mid-chunk: the chunk waits for it and carries on; no attempt used, all sent
  within seconds of its return, the one message in flight sent twice with the same Message-ID.

The test process plays the dispatcher (`followups_dispatch`, ringing `followups.send_many`), with
a clock of its own where a drill skips a retry's wait.
"""

import asyncio
import re
import sys
import time
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta
from email import message_from_bytes

import psycopg
import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from core.mailbox import message_ids
from core.models import Notification
from followups.models import FollowUp
from followups.selectors import failed_followups
from followups.services import followups_dispatch
from tests.factories import CaseFactory

from .test_worker import due_messages, each_once, sent
from .workers import Doorbell, Processes, free_port, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

# The workers' EMAIL_TIMEOUT in these drills (10 s by default).
TIMEOUT_SECONDS = 2
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# Which of due_messages' messages this is: its text says "We refunded you (n)."
NUMBER = re.compile(r"We refunded you \((\d+)\)")


@pytest.fixture
def case(postgres, soho, frontline):
    return CaseFactory(location=soho, created_by=frontline)


class MailServer:
    """An SMTP server that counts, by Message-ID, what it accepted and what it refused. `reply`
    is its answer at the end of DATA (None: accept); `refuse_rcpt` its answer to each recipient
    (None: accept); `hang` the number of the message (the text's "(n)") whose first DATA it
    never answers in time."""

    def __init__(self):
        self.reply: str | None = None
        self.refuse_rcpt: str | None = None
        self.hang: int | None = None
        self.accepted: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()
        self.recipients_refused = 0
        self.hung: Counter[str] = Counter()
        # The Message-IDs each message (by its number) was sent with, accepted or not.
        self.ids_of: dict[int, set[str]] = {}
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.controller.port}"

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802 - aiosmtpd's name
        if self.refuse_rcpt:
            self.recipients_refused += 1
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = message_from_bytes(envelope.original_content or envelope.content)
        message_id = message["Message-ID"]
        text = next(part for part in message.walk() if part.get_content_type() == "text/plain")
        number = int(NUMBER.search(text.get_payload(decode=True).decode()).group(1))
        self.ids_of.setdefault(number, set()).add(message_id)
        if number == self.hang and not self.hung[message_id]:
            self.hung[message_id] += 1
            await asyncio.sleep(TIMEOUT_SECONDS * 3)  # the client has given up and gone by then
            return "451 4.4.2 Timed out"
        if self.reply:
            self.refused[message_id] += 1
            return self.reply
        self.accepted[message_id] += 1
        return "250 OK"

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
        return False


def start_worker(processes, queue_name, redis_url, **env):
    worker = processes.worker(
        "worker",
        queue=queue_name,
        broker=redis_url,
        EMAIL_TIMEOUT=str(TIMEOUT_SECONDS),
        **env,
    )
    worker.wait_ready()
    return worker


def report(drill: str, **figures) -> None:
    """The drill's counts, on a line of their own in the test's output (pytest -rP shows it)."""
    sys.stdout.write(f"\n{drill}: " + ", ".join(f"{name} {value}" for name, value in figures.items()) + "\n")


@contextmanager
def mail_drill(redis_url, queue_name, tmp_path):
    """A counting SMTP server and a worker sending to it; the doorbell rings the worker's queue."""
    doorbell = Doorbell(redis_url, queue_name)
    try:
        with MailServer() as server, Processes(tmp_path) as processes:
            start_worker(processes, queue_name, redis_url, TEST_EMAIL_BACKEND=SMTP_BACKEND, EMAIL_URL=server.url)
            yield server, doorbell
    finally:
        doorbell.close()


def counts(ids, accepted: Counter) -> tuple[int, int]:
    """(lost, duplicated): rows neither sent nor failed, and messages accepted more than once."""
    settled = FollowUp.objects.filter(pk__in=ids, state__in=["sent", "failed"]).count()
    return len(ids) - settled, sum(times - 1 for times in accepted.values() if times > 1)


def tries_recorded(ids, attempts: int):
    rows = list(FollowUp.objects.filter(pk__in=ids))
    return rows if all(row.attempts == attempts for row in rows) else None


def test_a_mail_server_refusing_with_451_for_a_while_then_back_sends_everything_and_fails_nothing(
    case, manager, redis_url, queue, short_lease, tmp_path
):
    ids = due_messages(case, 20)
    with mail_drill(redis_url, queue, tmp_path) as (server, doorbell):
        server.reply = "451 4.3.0 Mailbox busy, try again later"
        at = timezone.now()
        for attempt in (1, 2, 3):
            assert followups_dispatch(enqueue=doorbell, now=at) == 20
            rows = wait_until(lambda a=attempt: tries_recorded(ids, a), timeout=60, what=f"try {attempt}")
            assert {row.state for row in rows} == {"scheduled"}
            assert all("451" in row.last_error for row in rows)
            # Held back in the database: the next sweep before the wait takes none of them.
            assert followups_dispatch(enqueue=doorbell) == 0
            at = max(row.claimed_until for row in rows) + timedelta(seconds=1)
        server.reply = None  # back
        assert followups_dispatch(enqueue=doorbell, now=at) == 20
        wait_until(lambda: sent(ids) == 20, timeout=60, what="everything to go once the server is back")
    lost, duplicated = counts(ids, server.accepted)
    report("451 drill", messages=len(ids), refused=sum(server.refused.values()), lost=lost, duplicated=duplicated)
    assert (lost, duplicated) == (0, 0)
    assert server.accepted == Counter(each_once(ids)) and server.refused == Counter(dict.fromkeys(each_once(ids), 3))
    # The same message carried the same Message-ID at every try.
    assert all(len(message_ids_seen) == 1 for message_ids_seen in server.ids_of.values()) and len(server.ids_of) == 20
    assert set(FollowUp.objects.filter(pk__in=ids).values_list("state", "attempts")) == {("sent", 4)}
    assert not Notification.objects.filter(user=manager).exists()


def test_a_mail_server_refusing_with_550_fails_each_message_at_once_and_never_tries_it_again(
    case, manager, redis_url, queue, short_lease, tmp_path
):
    ids = due_messages(case, 10)
    with mail_drill(redis_url, queue, tmp_path) as (server, doorbell):
        server.refuse_rcpt = "550 5.1.1 No such user here"
        assert followups_dispatch(enqueue=doorbell) == 10
        wait_until(
            lambda: FollowUp.objects.filter(pk__in=ids, state="failed").count() == 10, timeout=60, what="all failed"
        )
        # A day later nothing is tried again.
        assert followups_dispatch(enqueue=doorbell, now=timezone.now() + timedelta(days=1)) == 0
        time.sleep(1)
    lost, duplicated = counts(ids, server.accepted)
    report("550 drill", messages=len(ids), refusals=server.recipients_refused, lost=lost, duplicated=duplicated)
    assert (lost, duplicated) == (0, 0)
    assert server.recipients_refused == 10
    rows = FollowUp.objects.filter(pk__in=ids)
    assert {(row.state, row.attempts) for row in rows} == {("failed", 1)}
    assert all("550" in row.last_error and "No such user here" in row.last_error for row in rows)
    assert set(failed_followups(manager).values_list("pk", flat=True)) == set(ids)


def test_a_mail_server_that_hangs_on_one_message_does_not_hold_up_the_others(
    case, redis_url, queue, short_lease, tmp_path
):
    ids = due_messages(case, 10)
    with mail_drill(redis_url, queue, tmp_path) as (server, doorbell):
        server.hang = 3  # the fourth of the chunk
        started = time.monotonic()
        assert followups_dispatch(enqueue=doorbell, chunk=10) == 10
        wait_until(lambda: sent(ids) == 9, timeout=60, what="the other nine")
        others_took = time.monotonic() - started
        slow = wait_until(
            lambda: FollowUp.objects.filter(pk=ids[3], attempts=1, state="scheduled").first(),
            timeout=30,
            what="the slow one's try to be recorded",
        )
        assert "timed out" in slow.last_error
        # Its retry goes through (the server answers now).
        assert followups_dispatch(enqueue=doorbell, now=slow.claimed_until + timedelta(seconds=1)) == 1
        wait_until(lambda: sent(ids) == 10, timeout=60, what="the slow one, tried again")
    lost, duplicated = counts(ids, server.accepted)
    report(
        "hanging drill",
        others_went_in=f"{others_took:.1f} s",
        timeout=f"{TIMEOUT_SECONDS} s",
        lost=lost,
        duplicated=duplicated,
    )
    assert (lost, duplicated) == (0, 0)
    # One timeout, plus the sends themselves: not the chunk's budget, not a lease.
    assert others_took < TIMEOUT_SECONDS + 8
    assert server.accepted == Counter(each_once(ids))


def admin_connection():
    """A connection to the server's own `postgres` database, from which the test's is locked and freed."""
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "localhost",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def test_the_database_going_away_mid_chunk_uses_no_attempt_and_sending_is_back_within_seconds(
    case, redis_url, queue, short_lease, tmp_path
):
    ids = due_messages(case, 60)
    held, release, mail = tmp_path / "held", tmp_path / "release", tmp_path / "mail"
    name = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (own_pid,) = cursor.fetchone()
    doorbell = Doorbell(redis_url, queue)
    with admin_connection() as admin, Processes(tmp_path) as processes:
        hold = {"TEST_MAIL_HOLD_AT": "10", "TEST_MAIL_HELD": str(held), "TEST_MAIL_RELEASE": str(release)}
        start_worker(processes, queue, redis_url, **hold)
        assert followups_dispatch(enqueue=doorbell, chunk=20) == 60
        wait_until(held.exists, timeout=30, what="the tenth send")  # its row locked and marked, not committed
        try:
            # The outage: no new connection to the test's database, and the worker's cut.
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
                [name, own_pid],
            )
            release.touch()  # the tenth mail leaves; its commit cannot happen
            time.sleep(5)
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        back = time.monotonic()
        wait_until(lambda: sent(ids) == 60, timeout=60, what="every follow-up after the outage")
        recovered = time.monotonic() - back
        doorbell.close()
    accepted = message_ids(mail)
    lost, duplicated = counts(ids, accepted)
    report("database drill", outage="5 s", back_in=f"{recovered:.1f} s", lost=lost, duplicated=duplicated)
    assert lost == 0 and recovered < 60
    # The one message in flight went twice, with the same Message-ID; nothing else did.
    assert accepted == Counter({**each_once(ids), f"<followup-{ids[9]}@amends>": 2})
    # The outage used up no attempt: each row was tried once, successfully.
    rows = FollowUp.objects.filter(pk__in=ids)
    assert {(row.state, row.attempts, row.last_error) for row in rows} == {("sent", 1, "")}
