"""The page benchmark's registry: the pages of each app are named in `bench/pages/<app>.py`.

A page is a function that takes the bench `Subjects` (users, a case, a
customer picked from the seeded data) and returns a `Request` to time.
Adding a page is one line:

    page("dashboard_owner", lambda s: Request(s.owner, reverse("dashboard:owner")))

or a decorated function where the request needs building (`@page("case_create")`). The API's
pages send a token instead of signing in (`user=None`, `headers`: bench/pages/api.py).
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User


@dataclass
class Request:
    user: User | None
    path: str
    method: str = "get"
    # Called before each request: POST data that must differ each time (a fresh token).
    data: Callable[[], dict] | None = None
    expect: tuple[int, ...] = (200,)
    # The API's requests: its token (Authorization) and JSON bodies. Called before each request
    # too, for headers that must differ each time (an Idempotency-Key).
    headers: Callable[[], dict[str, str]] | None = None
    content_type: str | None = None
    # Instead of a page: a plain function to time (a rule module, say).
    call: Callable[[], object] | None = None


@dataclass
class Measurement:
    name: str
    timings_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)

    def summary(self) -> dict:
        ordered = sorted(self.timings_ms)
        # Nearest rank: of 50 requests, the 48th fastest.
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return {
            "p50_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(p95, 2),
            "queries": max(self.queries) if self.queries else 0,
            "requests": len(ordered),
        }

    @property
    def queries_vary(self) -> bool:
        """A page whose query count changes from one request to the next (it should not)."""
        return bool(self.queries) and min(self.queries) != max(self.queries)


PAGES: dict[str, Callable] = {}


def page(name: str, builder: Callable | None = None):
    """Register a page to measure: `page("name", lambda s: Request(...))`, or `@page("name")` on a function."""

    def register(builder):
        PAGES[name] = builder
        return builder

    return register(builder) if builder is not None else register


def measure(name: str, request: Request, *, requests: int, warmup: int) -> Measurement:
    if request.call is not None:
        return _measure_call(name, request.call, requests=requests, warmup=warmup)
    client = Client()
    if request.user is not None:
        client.force_login(request.user)
    send = getattr(client, request.method)
    result = Measurement(name)
    for index in range(warmup + requests):
        kwargs: dict = {"data": request.data()} if request.data else {}
        if request.headers:
            kwargs["headers"] = request.headers()
        if request.content_type:
            kwargs["content_type"] = request.content_type
        # The query log holds at most 9,000 entries: once full, counting by its length
        # reads 0. Start each request with an empty log.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = send(request.path, **kwargs)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code not in request.expect:
            raise RuntimeError(f"{name}: {request.method.upper()} {request.path} answered {response.status_code}")
        if index >= warmup:
            result.timings_ms.append(elapsed)
            result.queries.append(len(captured.captured_queries))
    return result


def _measure_call(name: str, call: Callable[[], object], *, requests: int, warmup: int) -> Measurement:
    result = Measurement(name)
    for index in range(warmup + requests):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            elapsed = (time.perf_counter() - started) * 1000
        if index >= warmup:
            result.timings_ms.append(elapsed)
            result.queries.append(len(captured.captured_queries))
    return result
