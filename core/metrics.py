"""Prometheus metrics each process keeps (a request's latency by view), and the text a scrape
reads (`exposition`, served by desk's /metrics with the figures read at scrape time).

Several processes: gunicorn's workers each count their own requests, and a scrape reaches one of
them. With PROMETHEUS_MULTIPROC_DIR set (config/gunicorn.py sets it, and empties the folder when
gunicorn starts) every process writes its counts to files there and a scrape adds up all of them,
whichever worker answers. prometheus_client reads the variable when it is first imported, so it
must be in the environment before the process starts, not set later.
"""

import os

from prometheus_client import REGISTRY, CollectorRegistry, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

# Around the targets (a page's p95 under 200 ms), and up to the slow exports.
BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

REQUEST_DURATION = Histogram(
    "amends_http_request_duration_seconds",
    "Time to answer a request, by view (the URL's name), method and status class.",
    ["view", "method", "status"],
    buckets=BUCKETS,
)


def observe_request(*, view: str, method: str, status: int, seconds: float) -> None:
    # Any other method is "other": a client must not mint series by inventing methods.
    method = method if method in METHODS else "other"
    REQUEST_DURATION.labels(view=view, method=method, status=f"{status // 100}xx").observe(seconds)


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def exposition(*collectors: Collector) -> bytes:
    """The processes' counts (all of them in multiprocess mode, else this one's), then what the
    collectors read now."""
    if multiprocess_dir():
        counted = CollectorRegistry()
        MultiProcessCollector(counted, path=multiprocess_dir())
    else:
        counted = REGISTRY
    now = CollectorRegistry()
    for collector in collectors:
        now.register(collector)
    return generate_latest(counted) + generate_latest(now)
