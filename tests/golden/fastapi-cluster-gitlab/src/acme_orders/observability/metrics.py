"""Prometheus metrics: request counts and latencies per route, at /metrics.

/metrics is served on a listener of its own, METRICS_PORT (server.py opens
it), and nowhere else: the public port answers it 404, so only what can
reach the metrics port (Prometheus, inside the network) can read it. The
web layer counts each request with ``record`` and answers the scrape with
``scrape`` (see observability/http_metrics.py).

Labels use the route template (/items/{item_id}), never the raw path, so
the number of series stays bounded whatever clients request.

With several worker processes (WEB_CONCURRENCY > 1) each would count on its
own and a scrape would see one of them: set PROMETHEUS_MULTIPROC_DIR to an
empty directory and /metrics adds up every worker's counts.
"""

import os
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

from acme_orders.settings import Settings

REQUESTS = Counter(
    "http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "http_request_duration_seconds", "Time to answer HTTP requests", ["method", "route"]
)
# The route label of requests that matched no route.
UNMATCHED_ROUTE = "unmatched"
# prometheus_client's labels() takes a lock and builds a key on every call;
# the label sets are few (route templates), so their children are kept.
_counters: dict[tuple[str, str, int], Any] = {}
_timers: dict[tuple[str, str], Any] = {}


def record(method: str, route: str, status_code: int, seconds: float) -> None:
    """Count one answered request and its latency, under its route template."""
    counter = _counters.get((method, route, status_code))
    if counter is None:
        counter = REQUESTS.labels(method, route, str(status_code))
        _counters[(method, route, status_code)] = counter
    counter.inc()
    timer = _timers.get((method, route))
    if timer is None:
        timer = LATENCY.labels(method, route)
        _timers[(method, route)] = timer
    timer.observe(seconds)


def scrape() -> tuple[bytes, str]:
    """The body and content type of an answer to /metrics."""
    return generate_latest(scrape_registry()), CONTENT_TYPE_LATEST


def scrape_registry() -> CollectorRegistry:
    """This process's metrics, or every worker's in multiprocess mode."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry


def listen_port(settings: Settings) -> int:
    """The extra port server.py listens on for this integration."""
    return settings.metrics_port


def setup(settings: Settings) -> None:
    """Nothing to configure: the counters exist from import on."""
