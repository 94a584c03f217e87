"""The follow-up dispatch benchmark: real worker, real broker, the database `DATABASE_URL` names.

Two measurements, each over follow-ups of the heaviest kind (a message to the
customer by email: worded from the owner's template, with a signed link, a line
on the case's timeline):

- burst: `count` follow-ups all due at once; one `followups.dispatch` (what beat
  sends every minute) claims them and rings the doorbell for each; the seconds
  from sending it to the last `sent_at`.
- lag: `count` follow-ups whose due times are spread over `spread` minutes, with a
  real `celery beat` (django-celery-beat's schedule: dispatch every minute); for
  each, `sent_at - due_at`.

The worker writes each message to a file of its own (config/bench_settings.py);
Message-IDs counted there give the duplicates and the missing. The data lives
at a location of its own (code `bench-dispatch`) and is deleted afterwards.
"""

import contextlib
import ctypes
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from celery import Celery
from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from accounts.models import Location, User
from cases.models import Case, Event
from core.mailbox import message_ids
from core.models import Canary
from customers.models import Customer
from followups.models import FollowUp
from followups.plans import Purpose

PREFIX = "bench-dispatch"
CASES = 1000


def p95(values: list[float]) -> float:
    """Nearest rank, as the page benchmark does."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class BenchFailed(Exception):
    pass


class MachineLoad:
    """How busy the whole machine was during a run (Linux: /proc/stat), ours and others' work
    together, and the load average after it: the machine is shared, so runs are compared
    with this beside them."""

    def __init__(self):
        self.start = self._times()

    @staticmethod
    def _times() -> tuple[int, int] | None:
        try:
            fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        except (OSError, ValueError):
            return None
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        return idle, sum(fields)

    def summary(self) -> dict:
        end = self._times()
        busy = None
        if self.start and end and end[1] > self.start[1]:
            busy = round(100 * (1 - (end[0] - self.start[0]) / (end[1] - self.start[1])))
        return {"cpu_busy_percent": busy, "load_average_1min": round(os.getloadavg()[0], 2)}


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM when the bench process dies, however it dies."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Stage:
    """The bench's own location, staff member, customers and cases; follow-ups go on the cases."""

    case_ids: list[int] = field(default_factory=list)

    @classmethod
    def prepare(cls) -> "Stage":
        location, _ = Location.objects.get_or_create(code=PREFIX, defaults={"name": "Bench dispatch"})
        user, created = User.objects.get_or_create(
            username=f"{PREFIX}-frontline", defaults={"email": f"{PREFIX}-frontline@staff.example"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.locations.add(location)
        customers = list(Customer.objects.filter(home_location=location).order_by("pk"))
        if not customers:
            customers = Customer.objects.bulk_create(
                Customer(
                    name=f"Bench Customer{n}",
                    email=f"{PREFIX}-{n}@customers.example",
                    contact_consent=True,
                    home_location=location,
                )
                for n in range(CASES)
            )
        cases = list(Case.objects.filter(location=location).order_by("pk").values_list("pk", flat=True))
        if not cases:
            now = timezone.now()
            cases = [
                case.pk
                for case in Case.objects.bulk_create(
                    Case(
                        customer=customer,
                        location=location,
                        channel="in_person",
                        category="delay",
                        description="A long wait, cold food.",
                        occurred_at=now,
                        order_value=Decimal("40"),
                        severity="moderate",
                        suggested_severity="moderate",
                        sla_due_at=now,
                        first_contact_at=now,
                        created_by=user,
                        assignee=user,
                    )
                    for customer in customers
                )
            ]
        stage = cls(case_ids=cases)
        stage.clear()
        return stage

    def clear(self) -> None:
        FollowUp.objects.filter(case_id__in=self.case_ids).delete()
        Event.objects.filter(case_id__in=self.case_ids).delete()
        if connection.vendor == "postgresql":
            # Each run starts from tables without the last run's dead rows, as autovacuum
            # keeps them in production, so that runs measure the same thing.
            with connection.cursor() as cursor:
                for model in (FollowUp, Event):
                    cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

    def add_due(self, due_times: list[datetime]) -> tuple[int, int]:
        """Follow-ups due at these times, round the cases; returns the first and last id."""
        rows = FollowUp.objects.bulk_create(
            (
                FollowUp(
                    case_id=self.case_ids[n % len(self.case_ids)],
                    kind=FollowUp.Kind.CUSTOMER_MESSAGE,
                    purpose=Purpose.REMEDY_MESSAGE.value,
                    channel=FollowUp.Channel.EMAIL,
                    subject="What we did",
                    body="We refunded the meal and sent a voucher for your next visit.",
                    due_at=due_at,
                )
                for n, due_at in enumerate(due_times)
            ),
            batch_size=2000,
        )
        return rows[0].pk, rows[-1].pk

    def remove(self) -> None:
        self.clear()
        Case.objects.filter(pk__in=self.case_ids).delete()
        Customer.objects.filter(home_location__code=PREFIX).delete()
        User.objects.filter(username=f"{PREFIX}-frontline").delete()
        Location.objects.filter(code=PREFIX).delete()


class Celeries:
    """The worker (and beat) the bench starts, each logging to a file, always stopped."""

    def __init__(self, broker: str, *, pool: str, concurrency: int):
        self.broker = broker
        self.pool, self.concurrency = pool, concurrency
        self.folder = Path(tempfile.mkdtemp(prefix="amends-bench-dispatch-"))
        self.mail = self.folder / "mail"
        self.mail.mkdir()
        self.processes: dict[str, subprocess.Popen] = {}
        self.app = Celery(broker=broker, set_as_current=False)
        self.queue = f"{PREFIX}-{uuid.uuid4().hex[:8]}"
        self.app.conf.task_default_queue = self.queue
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.bench_settings",
            "CELERY_BROKER_URL": broker,
            "CELERY_RESULT_BACKEND": "",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "BENCH_MAIL_DIR": str(self.mail),
            "BENCH_QUEUE": self.queue,
            "LOG_LEVEL": "WARNING",
        }
        # A bench run by hand with --settings=tests.settings has these from that module.
        self.env.setdefault("SECRET_KEY", settings.SECRET_KEY)
        self.env.setdefault("ALLOWED_HOSTS", ",".join(settings.ALLOWED_HOSTS))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        with self.app.connection_for_write() as connection:
            client = connection.default_channel.client  # type: ignore[attr-defined]  # Redis's channel has one
            client.delete(self.queue, f"_kombu.binding.{self.queue}", f"_kombu.binding_permanent.{self.queue}")
        self.app.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        return False

    def start(self, name: str, *args: str) -> None:
        log = (self.folder / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", *args, "--loglevel=WARNING"],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            # A worker must not outlive the bench (it would take the next run's messages).
            preexec_fn=_die_with_parent,
        )

    def start_worker(self) -> None:
        self.start(
            "worker",
            "worker",
            f"--pool={self.pool}",
            f"--concurrency={self.concurrency}",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"{PREFIX}-{uuid.uuid4().hex[:6]}@%h",
        )
        # Ready when it has consumed a canary (core.canary): up and taking tasks.
        token = f"{PREFIX}-{uuid.uuid4().hex}"
        self.app.send_task("core.canary", kwargs={"token": token})
        self.wait(lambda: Canary.objects.filter(token=token).exists(), 120, "the worker to start")

    def start_beat(self) -> None:
        self.start(
            "beat",
            "beat",
            "--scheduler=django_celery_beat.schedulers:DatabaseScheduler",
            f"--pidfile={self.folder / 'beat.pid'}",
            f"--schedule={self.folder / 'beat-schedule'}",
        )

    def stop(self, name: str) -> None:
        process = self.processes.pop(name)
        process.terminate()
        process.wait(timeout=30)

    def wait(self, condition, timeout: float, what: str, every: float = 0.25):
        deadline = time.monotonic() + timeout
        while not condition():
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise BenchFailed(f"{name} exited ({process.returncode}):\n{self.log(name)}")
            if time.monotonic() > deadline:
                raise BenchFailed(f"waited {timeout:.0f} s for {what}.\n{self.log('worker')}")
            time.sleep(every)

    def worker_cpu_seconds(self) -> float | None:
        """CPU time the worker and its processes have used so far (Linux: /proc), to tell our
        cost from the shared machine's load."""
        try:
            ticks, pending = 0, [self.processes["worker"].pid]
            while pending:
                pid = pending.pop()
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
                for task in Path(f"/proc/{pid}/task").iterdir():
                    pending += [int(child) for child in (task / "children").read_text().split()]
            return ticks / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, KeyError):
            return None

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text()[-5000:] if path.exists() else ""

    def count_mail(self, first: int, last: int) -> tuple[int, int]:
        """(duplicates, missing) among follow-ups first…last (each run has ids of its own)."""
        counts = message_ids(self.mail)
        expected = {f"<followup-{pk}@amends>" for pk in range(first, last + 1)}
        duplicates = sum(count - 1 for found, count in counts.items() if found in expected and count > 1)
        return duplicates, len(expected - set(counts))


def _sent(first: int, last: int):
    return FollowUp.objects.filter(pk__gte=first, pk__lte=last, state="sent")


def burst(stage: Stage, celeries: Celeries, count: int) -> dict:
    """`count` follow-ups due at once; seconds from the dispatch to the last sent."""
    stage.clear()
    first, last = stage.add_due([timezone.now() - timedelta(minutes=1)] * count)
    load = MachineLoad()
    cpu_before = celeries.worker_cpu_seconds()
    started_at = timezone.now()
    celeries.app.send_task("followups.dispatch")
    # As beat would, if one sweep ran out of its time budget.
    next_sweep = time.monotonic() + 60

    def all_sent():
        nonlocal next_sweep
        if time.monotonic() > next_sweep:
            celeries.app.send_task("followups.dispatch")
            next_sweep += 60
        return _sent(first, last).count() == count

    celeries.wait(all_sent, 600, f"{count} follow-ups to be sent", every=0.5)
    finished_at = _sent(first, last).aggregate(last=Max("sent_at"))["last"]
    assert finished_at is not None  # all_sent waited for every one of them
    seconds = (finished_at - started_at).total_seconds()
    cpu_after = celeries.worker_cpu_seconds()
    duplicates, missing = celeries.count_mail(first, last)
    return {
        "seconds": round(seconds, 2),
        "per_second": round(count / seconds),
        "worker_cpu_ms_each": round(1000 * (cpu_after - cpu_before) / count, 2)
        if cpu_before is not None and cpu_after is not None
        else None,
        "duplicates": duplicates,
        "missing": missing,
        **load.summary(),
    }


def lag(stage: Stage, celeries: Celeries, count: int, spread: timedelta) -> dict:
    """`count` follow-ups due over `spread`, a real beat dispatching every minute: due to sent."""
    stage.clear()
    start = timezone.now() + timedelta(seconds=10)
    first, last = stage.add_due([start + spread * (n / count) for n in range(count)])
    load = MachineLoad()
    celeries.start_beat()
    try:
        celeries.wait(
            lambda: _sent(first, last).count() == count,
            spread.total_seconds() + 300,
            f"{count} follow-ups spread over {spread} to be sent",
            every=1,
        )
    finally:
        celeries.stop("beat")
    lags = [
        (sent_at - due_at).total_seconds() for due_at, sent_at in _sent(first, last).values_list("due_at", "sent_at")
    ]
    duplicates, missing = celeries.count_mail(first, last)
    return {
        "p50_lag_seconds": round(statistics.median(lags), 1),
        "p95_lag_seconds": round(p95(lags), 1),
        "max_lag_seconds": round(max(lags), 1),
        "duplicates": duplicates,
        "missing": missing,
        **load.summary(),
    }
