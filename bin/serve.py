#!/usr/bin/env python3
"""`make serve` (`bin/serve.py [--demo]`): Amends run as production runs it, on this machine.

DEBUG off, the static files collected (WhiteNoise serves them), the database migrated, then
gunicorn on GUNICORN_BIND (127.0.0.1:8000), one Celery worker and exactly one beat, on
whatever DATABASE_URL and CELERY_BROKER_URL name (SQLite under var/ and the filesystem broker
when they are unset). A process that exits is started again (after 1, 2, 4... up to 30 s)
instead of stopping the others; one that keeps dying at start (a port in use, a settings
error) stops everything with its name. Ctrl-C (or SIGTERM) stops them all.

Standard library only: it supervises the processes, the project's .venv runs them.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
LOCAL_SECRET_KEY_FILE = ROOT / "var" / "local-secret-key"

# A process that ran this long before exiting was working: its next start waits from 1 s again.
HEALTHY_AFTER = 60.0
# A process that exits this soon after starting, this many times in a row, will not get better.
QUICK_EXIT = 10.0
QUICK_EXITS_TO_GIVE_UP = 5
MAX_DELAY = 30.0
# Seconds the processes get to finish what they are doing when asked to stop (SIGTERM).
STOP_GRACE = 30.0


def say(message: str) -> None:
    print(f"[serve] {message}", file=sys.stderr, flush=True)  # noqa: T201  # a command's own voice


@dataclass
class Service:
    """One supervised process: its command, and how its restarts have gone."""

    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    quick_exits: int = 0
    restarts: int = 0
    next_start_at: float = 0.0
    delay: float = 1.0

    def start(self) -> None:
        # A session of its own: Ctrl-C at the terminal reaches the supervisor alone, which then
        # asks each process once to stop (a second SIGINT would make Celery stop cold).
        self.process = subprocess.Popen(self.command, cwd=ROOT, start_new_session=True)
        self.started_at = time.monotonic()
        say(f"{self.name} started (pid {self.process.pid})")

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class GaveUp(Exception):
    pass


class PrepareFailed(Exception):
    pass


class Supervisor:
    """Keeps every service running until asked to stop."""

    def __init__(self, services: list[Service], *, poll: float = 0.2):
        self.services = services
        self.poll = poll
        self.stopping = False

    def request_stop(self, signum: int, _frame: object = None) -> None:
        if not self.stopping:
            say(f"{signal.Signals(signum).name}: stopping Amends…")
        self.stopping = True

    def run(self) -> int:
        for service in self.services:
            service.start()
        try:
            while not self.stopping:
                self._tend(time.monotonic())
                time.sleep(self.poll)
        except GaveUp as error:
            say(str(error))
            return 1
        finally:
            self.stop_all()
        return 0

    def _tend(self, now: float) -> None:
        for service in self.services:
            if service.process is None:
                if now >= service.next_start_at:
                    service.restarts += 1
                    service.start()
                continue
            code = service.process.poll()
            if code is None:
                continue
            ran = now - service.started_at
            service.process = None
            if ran >= HEALTHY_AFTER:
                service.delay, service.quick_exits = 1.0, 0
            elif ran < QUICK_EXIT:
                service.quick_exits += 1
            if service.quick_exits >= QUICK_EXITS_TO_GIVE_UP:
                raise GaveUp(
                    f"{service.name} exited within {QUICK_EXIT:g} s of starting {service.quick_exits} times in a row"
                    f" (last exit code {code}): stopping everything. Its messages above say why."
                )
            service.next_start_at = now + service.delay
            say(f"{service.name} exited with code {code} after {ran:.0f} s; starting it again in {service.delay:g} s")
            service.delay = min(service.delay * 2, MAX_DELAY)

    def stop_all(self) -> None:
        running = [service for service in self.services if service.running()]
        for service in running:
            service.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        for service in running:
            try:
                service.process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                say(f"{service.name} did not stop within {STOP_GRACE:g} s: killing it")
                os.killpg(service.process.pid, signal.SIGKILL)
                service.process.wait()
        say("stopped")


def local_secret_key() -> str:
    """A key for this machine only, kept in var/ so that a restart keeps people signed in and
    customers' links working. Never for production: anyone who can read var/ can sign as the app."""
    if not LOCAL_SECRET_KEY_FILE.exists():
        LOCAL_SECRET_KEY_FILE.parent.mkdir(exist_ok=True)
        LOCAL_SECRET_KEY_FILE.write_text(secrets.token_urlsafe(50))
        LOCAL_SECRET_KEY_FILE.chmod(0o600)
    return LOCAL_SECRET_KEY_FILE.read_text().strip()


def read_dotenv(path: Path) -> None:
    """The .env the settings read (NAME=value a line), so that what it says counts here too
    (its SECRET_KEY, DATABASE_URL...); the environment wins, as in the settings."""
    if not path.is_file():
        return
    for line in path.read_text().splitlines():
        name, sep, value = line.strip().removeprefix("export ").partition("=")
        if sep and name and not name.startswith("#"):
            os.environ.setdefault(name.strip(), value.strip().strip("'\""))


def production_like_environment() -> None:
    read_dotenv(ROOT / ".env")
    os.environ["DEBUG"] = "0"
    if not os.environ.get("SECRET_KEY"):
        os.environ["SECRET_KEY"] = local_secret_key()
        say("!" * 78)
        say(f"SECRET_KEY is not set: using a key for this machine only ({LOCAL_SECRET_KEY_FILE.relative_to(ROOT)}).")
        say("NEVER use it in production: set SECRET_KEY to a long random value there.")
        say("!" * 78)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    # Plain HTTP on the loopback: no TLS in front to redirect to.
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("GUNICORN_BIND", "127.0.0.1:8000")
    os.environ.setdefault("AMENDS_PUBLIC_URL", f"http://{os.environ['GUNICORN_BIND']}")


def prepare(*, demo: bool) -> None:
    """What a release does before the processes start: the static files, the database (and,
    asked, the demo data)."""
    python = str(VENV_BIN / "python")
    steps = [["collectstatic", "--noinput", "--verbosity", "0"], ["migrate", "--noinput"]]
    if demo:
        steps.append(["seed_demo", "--password", os.environ.get("DEMO_PASSWORD") or "amends-demo"])
    for step in steps:
        shown = "manage.py " + " ".join(step[:1] if step[0] == "seed_demo" else step)  # not the password
        say(shown)
        done = subprocess.run([python, "manage.py", *step], cwd=ROOT, check=False)
        if done.returncode != 0:
            raise PrepareFailed(f"{shown} failed (exit {done.returncode}): not starting.")


def services() -> list[Service]:
    celery = str(VENV_BIN / "celery")
    worker_concurrency = os.environ.get("WORKER_CONCURRENCY") or "2"
    return [
        Service("web", [str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"]),
        Service(
            "worker",
            [celery, "-A", "config", "worker", "--loglevel=INFO", f"--concurrency={worker_concurrency}"],
        ),
        # Exactly one beat, apart from the worker, so that a worker started again never makes a
        # second; its pid file refuses a second `make serve`'s beat on this machine.
        Service(
            "beat",
            [celery, "-A", "config", "beat", "--loglevel=INFO", f"--pidfile={ROOT / 'var' / 'celerybeat.pid'}",
             "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"],
        ),
    ]  # fmt: skip


def masked(url: str) -> str:
    """The URL without its password, to print."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)).geturl()


def main() -> int:
    os.chdir(ROOT)
    production_like_environment()
    try:
        prepare(demo="--demo" in sys.argv[1:])
    except PrepareFailed as error:
        say(str(error))
        return 1
    except KeyboardInterrupt:
        return 130
    supervisor = Supervisor(services())
    signal.signal(signal.SIGINT, supervisor.request_stop)
    signal.signal(signal.SIGTERM, supervisor.request_stop)
    if "--demo" in sys.argv[1:]:
        say("Demo logins: frontline, manager, owner (password: the DEMO_PASSWORD, amends-demo unless set).")
    say(
        f"Amends on {os.environ['AMENDS_PUBLIC_URL']}/ (DEBUG off), database "
        f"{masked(os.environ.get('DATABASE_URL', '')) or 'SQLite under var/'}, broker "
        f"{masked(os.environ.get('CELERY_BROKER_URL', '')) or 'filesystem under var/celery'}. Ctrl-C stops it."
    )
    return supervisor.run()


if __name__ == "__main__":
    sys.exit(main())
