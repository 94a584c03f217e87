"""Real Celery workers, private Redis servers and a doorbell, for tests that prove nothing is lost.

A worker is `celery -A config worker` in a subprocess, on the test database (the
test's transactions must commit: `django_db(transaction=True)`), with its mail
written one file a message (tests/followups/mailbox.py). Everything a test starts
is stopped by the `Processes` context manager, which prints what each worker said
when the test fails.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import redis
from celery import Celery
from django.conf import settings
from django.db import connection

from followups.tasks import followups_send_task

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The URL of the database this test runs on (test_…), for a worker to use the same."""
    db = connection.settings_dict
    assert db["ENGINE"] == "django.db.backends.postgresql", "real-worker tests need PostgreSQL"
    user = quote(db["USER"], safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], object], *, timeout: float, what: str, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s for {what}")
        time.sleep(every)


# What the tests' workers leave out, for speed: a worker as docs/workers.md runs it passes
# `quiet=False`.
QUIET = ("--without-heartbeat", "--without-gossip", "--without-mingle")


class Worker:
    """One `celery worker` process; its output is collected as it runs (a full pipe would stall it)."""

    def __init__(
        self,
        name: str,
        queue: str,
        env: dict[str, str],
        pool: str = "solo",
        *,
        concurrency: int = 1,
        quiet: bool = True,
        command: list[str] | None = None,
    ):
        self.name = name
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                *(
                    command
                    or [
                        "worker",
                        f"--pool={pool}",
                        f"--concurrency={concurrency}",
                        *(QUIET if quiet else ()),
                        "-Q",
                        queue,
                        "-n",
                        f"{name}-{uuid.uuid4().hex[:6]}@%h",
                    ]
                ),
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_ready(self, timeout: float = 60, *, says: str = " ready.") -> None:
        """Until the process's output `says` so (a beat: "Starting")."""

        def ready():
            if self.process.poll() is not None:
                raise AssertionError(f"worker {self.name} exited with {self.process.returncode}")
            return any(says in line for line in self.lines)

        wait_until(ready, timeout=timeout, what=f"worker {self.name} to be ready")

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, nothing given back to the broker."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.reader.join(timeout=5)

    @property
    def output(self) -> str:
        return "".join(self.lines)


class RedisServer:
    """A private redis-server on a free port, without persistence, so the shared Redis is untouched."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        wait_until(lambda: self._answers(client), timeout=10, what=f"redis-server on port {self.port}")

    @staticmethod
    def _answers(client) -> bool:
        try:
            return client.ping()
        except redis.RedisError:
            return False

    def shutdown_nosave(self) -> None:
        """Stop the server at once; whatever was queued in it is gone."""
        # Said over a bare socket: redis-py would retry the command when the server hangs up.
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as client:
            client.sendall(b"SHUTDOWN NOSAVE\r\n")
            client.recv(64)  # the server closes the connection as it goes
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class Processes:
    """Starts workers (and Redis servers) and always stops them, printing the workers' output on failure."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.workers: list[Worker] = []
        self.servers: list[RedisServer] = []

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        for worker in self.workers:
            worker.stop()
        for server in self.servers:
            server.stop()
        if error is not None:
            for worker in self.workers:
                # Shown by pytest when the test fails: what the worker said.
                sys.stderr.write(f"\n----- worker {worker.name} (exit {worker.process.returncode}) -----\n")
                sys.stderr.write(worker.output[-20000:])
        return False

    def redis_server(self) -> RedisServer:
        server = RedisServer(self.tmp_path / f"redis-{len(self.servers)}")
        self.servers.append(server)
        server.start()
        return server

    def worker(
        self,
        name: str,
        *,
        queue: str,
        broker: str,
        pool: str = "solo",
        concurrency: int = 1,
        quiet: bool = True,
        **env: str,
    ) -> Worker:
        """A worker on the test database and `broker`, consuming `queue` (names, comma-separated).
        Keyword arguments are extra environment variables (TEST_MAIL_HOLD_AT, EMAIL_URL, …)."""
        worker = Worker(name, queue, self.env(broker, env), pool=pool, concurrency=concurrency, quiet=quiet)
        self.workers.append(worker)
        return worker

    def beat(self, name: str, *, broker: str, **env: str) -> Worker:
        """`celery beat` with the database scheduler, on the test database and `broker`; a
        schedule file and pid file of its own, so two can run at once."""
        folder = self.tmp_path / name
        folder.mkdir(parents=True, exist_ok=True)
        command = [
            "beat",
            "--scheduler=django_celery_beat.schedulers:DatabaseScheduler",
            f"--pidfile={folder / 'beat.pid'}",
            f"--schedule={folder / 'schedule'}",
        ]
        beat = Worker(name, "", self.env(broker, env), command=command)
        self.workers.append(beat)
        return beat

    def env(self, broker: str, extra: dict[str, str]) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker,
            "CELERY_RESULT_BACKEND": "",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "TEST_EMAIL_BACKEND": "tests.followups.mailbox.HoldingBackend",
            "TEST_MAIL_DIR": str(self.tmp_path / "mail"),
            # The worker renews the leases of its chunk: with the lease the test gives the dispatcher.
            "AMENDS_FOLLOWUP_LEASE_SECONDS": str(settings.AMENDS_FOLLOWUP_LEASE_SECONDS),
            **extra,
        }


class Doorbell:
    """What the dispatcher hands each chunk of claimed ids to: `followups.send_many` with the
    ids only, on `queue` of `broker`. The test process runs tasks eagerly, so this uses an
    app of its own."""

    def __init__(self, broker: str, queue: str, *, rings: int = 1):
        self.app = Celery(broker=broker, set_as_current=False)
        # Fail in about a second when the broker is down, as the real dispatcher would.
        self.app.conf.broker_connection_timeout = 2
        self.queue = queue
        self.rings = rings
        self.rung: list[int] = []

    def __call__(self, followup_ids: list[int]) -> None:
        for _ in range(self.rings):
            self.app.send_task(followups_send_task.name, args=[followup_ids], queue=self.queue)
        self.rung.extend(followup_ids)

    def close(self) -> None:
        self.app.close()


def forget_queue(broker: str, queue: str) -> None:
    """Remove what a test left on a shared Redis: its queue, and its messages that a killed
    worker left unacknowledged (kombu would give them back to the queue an hour later)."""
    client = redis.Redis.from_url(broker)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    for tag, raw in client.hscan_iter("unacked"):
        try:
            routing_key = json.loads(raw)[2]
        except (ValueError, IndexError):
            continue
        if routing_key == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


def project_app(broker: str, backend: str = "") -> Celery:
    """A Celery app with the project's settings (its queues and routes) on `broker`, to send
    tasks as the project would: the test process's own app runs them eagerly."""
    app = Celery(set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(broker_url=broker, result_backend=backend or None, task_always_eager=False)
    return app
