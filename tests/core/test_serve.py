"""`make serve` (bin/serve.py): a process that exits is started again, without stopping the
others; one that keeps dying at start stops everything; a stop stops them all. And the whole
of it for real: gunicorn, a worker and beat on PostgreSQL and Redis, a worker killed and back."""

import importlib.util
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.desk.test_health import healthcheck
from tests.followups.workers import Processes, database_url, free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def serve():
    spec = importlib.util.spec_from_file_location("serve", ROOT / "bin" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sleeper(serve, name: str, **fields):
    return serve.Service(name, [sys.executable, "-c", "import time; time.sleep(120)"], **fields)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_process_that_dies_is_started_again_and_the_others_keep_running(serve):
    web, worker, beat = (sleeper(serve, name) for name in ("web", "worker", "beat"))
    supervisor = serve.Supervisor([web, worker, beat], poll=0.05)
    outcome = []
    runner = threading.Thread(target=lambda: outcome.append(supervisor.run()))
    runner.start()
    try:
        wait_until(lambda: all(s.running() for s in (web, worker, beat)), timeout=10, what="three processes")
        web_pid, first_worker = web.process.pid, worker.process.pid
        os.kill(first_worker, signal.SIGKILL)
        wait_until(lambda: worker.running() and worker.process.pid != first_worker, timeout=10, what="the worker again")
        assert worker.restarts == 1 and web.process.pid == web_pid and web.restarts == beat.restarts == 0
        pids = [s.process.pid for s in (web, worker, beat)]
    finally:
        supervisor.request_stop(signal.SIGTERM)
        runner.join(timeout=40)
    assert outcome == [0]
    assert not any(alive(pid) for pid in pids)


def test_a_process_that_keeps_dying_at_start_stops_everything(serve):
    broken = serve.Service("web", [sys.executable, "-c", "raise SystemExit(3)"], delay=0.01)
    worker = sleeper(serve, "worker")
    supervisor = serve.Supervisor([broken, worker], poll=0.02)
    assert supervisor.run() == 1
    assert broken.restarts == serve.QUICK_EXITS_TO_GIVE_UP - 1
    assert not worker.running()


def test_urls_are_printed_without_their_password(serve):
    assert serve.masked("redis://:s3cret@redis.internal:6379/0") == "redis://:***@redis.internal:6379/0"
    assert serve.masked("postgres://amends:pw@db:5432/amends") == "postgres://amends:***@db:5432/amends"
    assert serve.masked("filesystem://") == "filesystem://"


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


class Served:
    """bin/serve.py in a process of its own, its output collected as it runs."""

    def __init__(self, env: dict[str, str]):
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "bin/serve.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.reader = threading.Thread(target=lambda: self.lines.extend(self.process.stdout), daemon=True)
        self.reader.start()

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def pids(self, name: str) -> list[int]:
        return [int(pid) for pid in re.findall(rf"\[serve\] {name} started \(pid (\d+)\)", self.output)]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_make_serve_runs_the_app_and_starts_a_killed_worker_again(postgres, tmp_path):
    port = free_port()
    with Processes(tmp_path) as processes:
        broker = processes.redis_server().url(0)
        keep = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY"}}
        served = Served(
            {
                **keep,
                "DATABASE_URL": database_url(),
                "CELERY_BROKER_URL": broker,
                "CELERY_TASK_ALWAYS_EAGER": "0",
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "WEB_CONCURRENCY": "1",
                "WORKER_CONCURRENCY": "1",
            }
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until(lambda: status_of(f"{base}/health/live/") == 200, timeout=180, what="gunicorn to answer")
            # DEBUG off: the sign-in page, and its stylesheet from the collected static files (WhiteNoise).
            with urllib.request.urlopen(f"{base}/accounts/login/", timeout=10) as response:
                page = response.read().decode()
            (stylesheet,) = re.findall(r'href="(/static/vendor/bootstrap/css/bootstrap[^"]*\.css)"', page)
            assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet)  # the manifest's hashed name: DEBUG is off
            assert status_of(base + stylesheet) == 200
            wait_until(lambda: "beat: Starting" in served.output, timeout=60, what="beat to start")

            (first,) = served.pids("worker")
            os.kill(first, signal.SIGKILL)
            wait_until(lambda: len(served.pids("worker")) == 2, timeout=30, what="the worker to start again")
            # The new worker consumes: a canary through the broker, recorded in the database.
            result = healthcheck(broker, "urgent", timeout=90)  # the canary's queue, one of the three the worker takes
            assert result.returncode == 0, result.stdout + result.stderr
            assert len(served.pids("web")) == len(served.pids("beat")) == 1  # the others ran on
        finally:
            served.process.send_signal(signal.SIGINT)  # Ctrl-C
            code = served.process.wait(timeout=60)
            served.reader.join(timeout=5)
            sys.stderr.write(served.output[-20000:])
        assert code == 0
        assert "[serve] stopped" in served.output
        for pid in served.pids("web") + served.pids("worker") + served.pids("beat"):
            assert not alive(pid)
        assert status_of(f"{base}/health/live/") == 0
