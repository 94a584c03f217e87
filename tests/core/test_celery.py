"""A real worker consumes real messages: through Redis, and through the embedded broker."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

from celery import Celery
from django.conf import settings

from tests.followups.workers import forget_queue

ROOT = Path(__file__).resolve().parents[2]


def start_worker(queue: str, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            queue,
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def round_trip(app: Celery, queue: str, worker: subprocess.Popen) -> str:
    try:
        result = app.send_task("core.ping", args=["hello"], queue=queue)
        return result.get(timeout=60)
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        # Shown by pytest when the test fails: what the worker said.
        sys.stderr.write(output)


def test_round_trip_through_redis(redis_url):
    queue = f"amends-test-{uuid.uuid4().hex[:8]}"
    worker = start_worker(queue, CELERY_BROKER_URL=redis_url, CELERY_RESULT_BACKEND=redis_url)
    app = Celery(broker=redis_url, backend=redis_url)
    try:
        assert round_trip(app, queue, worker) == "pong: hello"
    finally:
        forget_queue(redis_url, queue)  # the Redis may be shared: leave nothing behind


def test_round_trip_through_the_embedded_broker(tmp_path):
    queue = f"amends-test-{uuid.uuid4().hex[:8]}"
    results = f"file://{tmp_path}"
    worker = start_worker(queue, CELERY_BROKER_URL="filesystem://", CELERY_RESULT_BACKEND=results)
    # The worker's settings put the filesystem broker's folders under var/celery; so do we.
    app = Celery(broker="filesystem://", backend=results)
    app.conf.broker_transport_options = settings.FILESYSTEM_BROKER_OPTIONS
    assert round_trip(app, queue, worker) == "pong: hello"
