"""One log line and one latency measure per request, under the request's id.

The outermost middleware: it times everything the others do, and every response (a redirect to
HTTPS, a static file, a 500 page) goes back with its X-Request-ID. Its line says what was asked
(method, the path with any token in it masked, the view's URL name), how it ended (status,
milliseconds, database queries) and for whom (the user's id, if the request had already loaded
them). The same duration goes to Prometheus by view (core/metrics.py).
"""

import logging
import time
from contextlib import ExitStack

from django.conf import settings
from django.db import connections
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, empty

from .metrics import observe_request
from .request_ids import HEADER, bind_request_id, request_id_from, unbind_request_id

log = logging.getLogger("amends.request")
META_KEY = "HTTP_" + HEADER.upper().replace("-", "_")


class _QueryCounter:
    """A database execute wrapper that counts: a function call a query, cheap enough to keep on."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # META, not request.headers: that builds a dict of every header, on every request.
        request_id = request_id_from(request.META.get(META_KEY))
        token = bind_request_id(request_id)
        queries = _QueryCounter()
        started = time.perf_counter()
        status = 500  # what the client gets if what follows raises
        try:
            with ExitStack() as stack:
                for alias in connections:
                    stack.enter_context(connections[alias].execute_wrapper(queries))
                response = self.get_response(request)
            status = response.status_code
            response[HEADER] = request_id
            return response
        finally:
            seconds = time.perf_counter() - started
            view, path = view_name(request), logged_path(request)
            observe_request(view=view, method=request.method or "", status=status, seconds=seconds)
            log.info(
                "%s %s %s in %.0f ms (%s, %d queries)",
                request.method,
                path,
                status,
                seconds * 1000,
                view,
                queries.count,
                extra={
                    "method": request.method,
                    "path": path,
                    "view": view,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                    "user_id": _user_id(request),
                    "db_queries": queries.count,
                    "request_id": request_id,
                },
            )
            unbind_request_id(token)


def view_name(request: HttpRequest) -> str:
    """The URL's name (`cases:detail`), "static" for a static file, "unmatched" for no URL."""
    match = request.resolver_match
    if match is not None:
        return match.view_name
    if request.path.startswith(settings.STATIC_URL or "/static/"):
        return "static"
    return "unmatched"


def logged_path(request: HttpRequest) -> str:
    """The path, with the strings the URL captured masked: those are a customer's link token, a
    report page's token, a password reset's; anyone reading the logs could open those pages.
    Ids (numbers) stay. No query string: searches name customers."""
    path = request.path
    match = request.resolver_match
    if match is not None:
        for value in (*match.args, *match.kwargs.values()):
            if isinstance(value, str) and value:
                path = path.replace(value, "*")
    return path


def _user_id(request: HttpRequest) -> int | None:
    # Only a user the request already loaded: loading one here would cost a session query that
    # the request did not make (a public page, a static file).
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        # _wrapped is `empty` until something reads the lazy object: Django's own marker.
        wrapped = user._wrapped  # type: ignore[attr-defined]  # private to LazyObject, untyped in the stubs
        user = None if wrapped is empty else wrapped
    if user is None or not user.is_authenticated:
        return None
    return user.pk
