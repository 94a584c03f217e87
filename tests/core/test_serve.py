"""`make serve`'s supervisor (bin/serve.py): a process that exits is started again, without
stopping the others; one that keeps dying at start stops everything; a stop stops them all."""

import importlib.util
import os
import signal
import sys
import threading
from pathlib import Path

import pytest

from tests.followups.workers import wait_until

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
