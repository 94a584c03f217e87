"""Who is asking, and from where, for the length of one request.

The event log records where each change came from. Services take their actor as an
argument; the address is not theirs to know, and changes made in the admin (users, roles,
locations) reach the log through model signals that see no request. So one middleware
notes the request's user and address here, and the log's writer reads them back.
"""

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from axes.helpers import get_client_ip_address


@dataclass(frozen=True)
class RequestContext:
    user: Any  # request.user, still lazy: read through current_user()
    ip: str | None


_current: ContextVar[RequestContext | None] = ContextVar("amends_request_context", default=None)


def current() -> RequestContext | None:
    """The request being served in this thread or task, if any."""
    return _current.get()


def current_user() -> Any:
    """The signed-in user making the request, or None (anonymous, or no request)."""
    context = _current.get()
    user = context.user if context else None
    return user if user is not None and user.is_authenticated else None


def current_ip() -> str | None:
    context = _current.get()
    return context.ip if context else None


class RequestContextMiddleware:
    """After authentication: keeps the request's user and address while it is served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        context = RequestContext(user=getattr(request, "user", None), ip=_ip(request))
        token = _current.set(context)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


def _ip(request) -> str | None:
    # The same reading of the address as django-axes (and its proxy settings) makes.
    return get_client_ip_address(request) or None
