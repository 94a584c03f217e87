"""A request's id: the one a load balancer or client sent (X-Request-ID) when it is well formed,
else a new one. It goes back in the response, onto every log line written while the request is
served, and into the tasks the request enqueues (core/task_log.py), so one search finds them all.

The current id lives here rather than in core/request_context.py (the request's user and
address, for the event log) because Sentry's hook reads it from config/settings.py, before Django
is set up: so this module imports nothing from Django (tests/test_pure_modules.py).
"""

import re
import uuid
from contextvars import ContextVar, Token

HEADER = "X-Request-ID"

# Letters, digits and . _ : - only, 8 to 128 of them: a UUID, nginx's $request_id, a load
# balancer's trace id. Anything else (a newline, markup, a megabyte) is replaced, never logged.
_WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{8,128}")

# The id of the request, or of the task, being served in this thread (or this task).
_current: ContextVar[str | None] = ContextVar("amends_request_id", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_from(sent: str | None) -> str:
    """The id a request goes by: the one it was sent with if well formed, else a new one."""
    if sent and _WELL_FORMED.fullmatch(sent):
        return sent
    return new_request_id()


def current_request_id() -> str | None:
    return _current.get()


def bind_request_id(request_id: str) -> Token[str | None]:
    """Make this the current id until `unbind_request_id(token)` gives back the one before."""
    return _current.set(request_id)


def unbind_request_id(token: Token[str | None]) -> None:
    _current.reset(token)
