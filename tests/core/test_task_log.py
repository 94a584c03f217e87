"""A request's id rides into the tasks it enqueues, their log lines and the tasks they enqueue."""

import json
import os
import uuid
from types import SimpleNamespace

from celery import Celery
from celery.app.task import Context
from django.http import HttpResponse
from django.test import RequestFactory

from core.request_ids import HEADER as REQUEST_ID_HEADER
from core.request_ids import bind_request_id, current_request_id, unbind_request_id
from core.request_log import RequestLogMiddleware
from core.task_log import HEADER, task_ended, task_started
from tests.followups.workers import Worker, forget_queue, wait_until


def json_lines(worker: Worker) -> list[dict]:
    lines = []
    for line in list(worker.lines):
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def test_a_request_s_id_reaches_its_task_s_log_line_in_a_worker(redis_url):
    queue = f"amends-test-{uuid.uuid4().hex[:8]}"
    worker = Worker(
        "observe",
        queue,
        {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "CELERY_BROKER_URL": redis_url,
            "CELERY_RESULT_BACKEND": "",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "LOG_FORMAT": "json",
        },
    )
    app = Celery(broker=redis_url, set_as_current=False)

    def view(request):
        app.send_task("core.ping", args=["hello"], queue=queue)
        return HttpResponse("enqueued")

    try:
        worker.wait_ready()
        request = RequestFactory().get("/somewhere/", headers={REQUEST_ID_HEADER: "req-from-the-balancer-42"})
        response = RequestLogMiddleware(view)(request)
        assert response[REQUEST_ID_HEADER] == "req-from-the-balancer-42"

        def task_line():
            return next((line for line in json_lines(worker) if line.get("logger") == "amends.task"), None)

        line = wait_until(task_line, timeout=60, what="the task's log line")
        assert (line["task"], line["state"], line["request_id"]) == ("core.ping", "SUCCESS", "req-from-the-balancer-42")
        assert line["level"] == "INFO" and line["duration_ms"] >= 0 and line["task_id"]
    finally:
        worker.stop()
        app.close()
        forget_queue(redis_url, queue)


def test_a_task_passes_its_request_id_on_to_the_tasks_it_enqueues():
    app = Celery(broker="memory://", set_as_current=False)
    queue = f"amends-test-{uuid.uuid4().hex[:8]}"
    task = SimpleNamespace(name="cases.parent", request=Context({HEADER: "req-from-the-balancer-43"}))
    task_started(task_id="parent-1", task=task)
    try:
        assert current_request_id() == "req-from-the-balancer-43"
        app.send_task("core.ping", queue=queue)
    finally:
        task_ended(task_id="parent-1", task=task, state="SUCCESS")
    assert current_request_id() is None
    with app.connection_for_read() as connection:
        message = connection.SimpleQueue(queue).get(timeout=5)
        assert message.headers[HEADER] == "req-from-the-balancer-43"
        message.ack()


def test_an_eager_task_keeps_its_request_s_id_and_gives_it_back():
    token = bind_request_id("req-from-the-balancer-44")
    try:
        task = SimpleNamespace(name="core.ping", request=Context({}))
        task_started(task_id="eager-1", task=task)
        assert current_request_id() == "req-from-the-balancer-44"
        task_ended(task_id="eager-1", task=task, state="SUCCESS")
        assert current_request_id() == "req-from-the-balancer-44"
    finally:
        unbind_request_id(token)


def test_a_task_no_request_enqueued_gets_an_id_of_its_own():
    task = SimpleNamespace(name="core.canary", request=Context({}))
    task_started(task_id="beat-1", task=task)
    try:
        assert current_request_id() is not None
    finally:
        task_ended(task_id="beat-1", task=task, state="SUCCESS")
    assert current_request_id() is None
