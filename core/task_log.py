"""One log line per Celery task, under the id of the request that enqueued it.

A request's id rides in the message's headers (`before_task_publish`, in whichever process
enqueues); the worker binds it before the task runs (`task_prerun`), so the task's own log lines
and the tasks it enqueues in turn carry it; the line is written when the task ends
(`task_postrun`), with its state and duration. A task that no request enqueued (beat's) gets an
id of its own, which the tasks it enqueues carry. Connected by CoreConfig.ready.
"""

import logging
import time
from contextvars import Token

from celery.signals import before_task_publish, task_postrun, task_prerun

from .request_ids import bind_request_id, current_request_id, new_request_id, request_id_from, unbind_request_id

# The message header the id travels in (Celery makes a message's headers attributes of the
# task's request: task.request.amends_request_id).
HEADER = "amends_request_id"

log = logging.getLogger("amends.task")

# Per running task: when it started, and the id that was current before it (an eager task runs
# inside the request that enqueued it, whose id comes back when it ends).
_running: dict[str, tuple[float, Token[str | None]]] = {}


@before_task_publish.connect
def carry_request_id(sender=None, headers=None, **kwargs) -> None:
    request_id = current_request_id()
    if request_id and headers is not None:
        headers[HEADER] = request_id


@task_prerun.connect
def task_started(sender=None, task_id=None, task=None, **kwargs) -> None:
    sent = task.request.get(HEADER) if task is not None else None
    request_id = request_id_from(sent) if sent else current_request_id() or new_request_id()
    _running[task_id] = (time.perf_counter(), bind_request_id(request_id))


@task_postrun.connect
def task_ended(sender=None, task_id=None, task=None, state=None, **kwargs) -> None:
    started, token = _running.pop(task_id, (None, None))
    seconds = time.perf_counter() - started if started is not None else 0.0
    name = task.name if task is not None else str(sender)
    log.info(
        "%s %s in %.0f ms",
        name,
        state,
        seconds * 1000,
        extra={
            "task": name,
            "task_id": task_id,
            "state": state,
            "duration_ms": round(seconds * 1000, 1),
            "request_id": current_request_id(),
        },
    )
    if token is not None:
        unbind_request_id(token)
