"""Faults a test injects into a real worker's pool process (tests/core/test_worker_processes.py).
Loaded only by the workers those tests start (TEST_CELERY_IMPORTS), never by the app."""

import os

from celery import shared_task
from django.db import connection, transaction


@shared_task(name="tests.process_id")
def process_id() -> list[int]:
    """The pool process that ran this, and its database backend (a query on its connection)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return [os.getpid(), cursor.fetchone()[0]]


@shared_task(name="tests.break_connection")
def break_connection(how: str) -> int:
    """Leave this process's connection as faults in the field left it."""
    connection.ensure_connection()
    if how == "busy":
        # A query sent and its result never read, as when a signal lands mid-COMMIT: psycopg
        # refuses whatever comes next ("another command is already in progress").
        connection.connection.pgconn.send_query(b"SELECT 1")
    elif how == "transaction left open":
        # A transaction whose exit was interrupted: every later write would join it, and none commit.
        transaction.atomic().__enter__()
    else:
        raise ValueError(how)
    return os.getpid()
