"""What a worker process does around each task so that it never goes on with a database
connection it cannot trust (config/celery.py connects these to Celery's signals).

Workers keep their connection across tasks (CELERY_DB_REUSE_MAX), so a connection that broke
would otherwise fail every task after it: a fault drill saw one process fail every task for 25
minutes after a signal landed mid-COMMIT ("another command is already in progress"). So:

- before a task, a connection that went bad while idle (the database restarted, a backend was
  terminated, a bouncer dropped it) is closed, and the task opens a fresh one;
- after a task, a connection on which an error occurred is checked, and closed if it no longer
  answers;
- a process whose connection cannot be made safe (closing it failed, or a task left a
  transaction open: every later write would join it and never commit) leaves before its next
  task. That task goes back on the queue (acks late, reject on worker lost) for another
  process, and the pool starts a fresh process in this one's place. Leaving after the next
  task is taken, not at once, so the task that did the damage is not given again: given again,
  it could do it again, in a loop.

Tasks run eagerly (tests, CELERY_TASK_ALWAYS_EAGER) run inside their caller's transaction and
connection: those are left alone.
"""

import logging

from django.db import connections

log = logging.getLogger(__name__)

# The exit status of a process that leaves: billiard's pool replaces any process that exits.
EXIT_STATUS = 70  # EX_SOFTWARE

# Why this process must leave before its next task ("" while it is healthy).
_must_leave = ""


def _eager(task) -> bool:
    return bool(getattr(getattr(task, "request", None), "is_eager", False))


def before_task(sender=None, **kwargs) -> None:
    """task_prerun: leave if told to; close connections that stopped answering while idle."""
    if _eager(sender):
        return
    if _must_leave:
        log.critical("Worker process leaving before its next task, for a fresh one: %s", _must_leave)
        raise SystemExit(EXIT_STATUS)
    for connection in connections.all(initialized_only=True):
        # One round trip (SELECT 1) a task, when a connection is kept: a task that finds it
        # broken would fail, and a chunk of sends would fail whole.
        if connection.connection is not None and not connection.in_atomic_block and not connection.is_usable():
            log.warning("Database connection %r no longer answers: closed, the task opens a new one", connection.alias)
            _close(connection)


def after_task(sender=None, **kwargs) -> None:
    """task_postrun: after an error, close a connection that no longer answers; a process
    whose connection cannot be made safe is told to leave."""
    global _must_leave
    if _eager(sender):
        return
    for connection in connections.all(initialized_only=True):
        problem = _unsafe(connection)
        if problem and not _must_leave:
            _must_leave = f"{problem} (database {connection.alias!r}, after task {getattr(sender, 'name', '?')})"
            log.critical("Worker process will leave before its next task: %s", _must_leave)


def _unsafe(connection) -> str:
    """Why this connection cannot be trusted after a task, having tried to mend it ("" if it can)."""
    if connection.in_atomic_block:
        # The task's transaction did not end: its exit was interrupted (a signal or a time
        # limit during COMMIT). Closing cannot mend it: Django would still think it open.
        _close(connection)
        return "a task left a transaction open"
    if not connection.errors_occurred:
        return ""
    if connection.is_usable():
        connection.errors_occurred = False
        return ""
    log.warning("Database connection %r broke during a task: closed, the next task opens a new one", connection.alias)
    error = _close(connection)
    if error is not None or connection.connection is not None:
        return f"a broken connection could not be closed ({error!r})"
    return ""


def _close(connection) -> Exception | None:
    try:
        connection.close()
    except Exception as error:  # noqa: BLE001 - whatever closing raised, the caller decides
        return error
    return None
