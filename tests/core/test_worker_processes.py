"""A pool process whose database connection broke goes on with a fresh one, or is replaced
(core/worker_processes.py): a real prefork worker, its connection broken three ways, and the
tasks after each must succeed, their writes committed."""

import uuid

import pytest
from django.db import connection

from core.models import Canary
from tests.followups.workers import Processes, project_app, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


def canaries_recorded(project, count: int = 3) -> None:
    """`count` canaries (core.canary, a write) through the worker: each must be committed."""
    tokens = [f"after-{uuid.uuid4().hex}" for _ in range(count)]
    for token in tokens:
        project.send_task("core.canary", kwargs={"token": token})
    wait_until(
        lambda: Canary.objects.filter(token__in=tokens).count() == count,
        timeout=30,
        what=f"{count} canaries to be recorded",
    )


def test_a_pool_process_with_a_broken_connection_mends_it_or_is_replaced(postgres, tmp_path):
    with Processes(tmp_path) as processes:
        server = processes.redis_server()
        worker = processes.worker(
            "worker",
            queue="urgent",
            broker=server.url(),
            pool="prefork",
            CELERY_RESULT_BACKEND=server.url(1),
            TEST_CELERY_IMPORTS="tests.core.fault_tasks",
        )
        worker.wait_ready()
        project = project_app(server.url(), server.url(1))

        def run(task: str, *args):
            return project.send_task(task, args=args).get(timeout=30)

        pid, backend = run("tests.process_id")

        # The database ends the connection while the process is idle (a restart, an administrator).
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
        canaries_recorded(project)
        same_pid, new_backend = run("tests.process_id")
        assert same_pid == pid and new_backend != backend

        # A query whose result was never read: "another command is already in progress".
        assert run("tests.break_connection", "busy") == pid
        canaries_recorded(project)
        assert run("tests.process_id")[0] == pid

        # A transaction left open: the connection cannot be trusted, the process leaves and
        # the pool starts another; the task it had taken is run by that one.
        assert run("tests.break_connection", "transaction left open") == pid
        canaries_recorded(project)
        assert run("tests.process_id")[0] != pid
        assert "leaving before its next task" in worker.output
        project.close()
