"""Prometheus metrics: request counts and latencies per route, at /metrics.

/metrics is served on a listener of its own, METRICS_PORT (server.py opens
it), and nowhere else: the public port answers it 404, so only what can
reach the metrics port (Prometheus, inside the network) can read it.

Labels use the route template (/items/{item_id}), never the raw path, so
the number of series stays bounded whatever clients request.

With several worker processes (WEB_CONCURRENCY > 1) each would count on its
own and a scrape would see one of them: set PROMETHEUS_MULTIPROC_DIR to an
empty directory and /metrics adds up every worker's counts.
"""

import os
import time
from typing import Any

from fastapi import FastAPI
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from acme_orders.settings import Settings

REQUESTS = Counter(
    "http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "http_request_duration_seconds", "Time to answer HTTP requests", ["method", "route"]
)
UNMATCHED_ROUTE = "unmatched"


class MetricsMiddleware:
    """Counts and times every request on the public port; on the metrics
    port answers /metrics (and 404 for anything else) without counting it."""

    def __init__(self, app: ASGIApp, *, port: int) -> None:
        self.app = app
        self.port = port
        # prometheus_client's labels() takes a lock and builds a key on every
        # call; the label sets are few (route templates), so keep them.
        self.counters: dict[tuple[str, str, int], Any] = {}
        self.timers: dict[tuple[str, str], Any] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        server = scope.get("server")
        if server and server[1] == self.port:
            await self.scrape(scope, receive, send)
            return
        started = time.perf_counter()
        status_code = 500

        async def send_and_record(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_record)
        finally:
            route = getattr(scope.get("route"), "path", UNMATCHED_ROUTE)
            method = scope["method"]
            key = (method, route, status_code)
            counter = self.counters.get(key)
            if counter is None:
                counter = REQUESTS.labels(method, route, str(status_code))
                self.counters[key] = counter
            counter.inc()
            timer = self.timers.get(key[:2])
            if timer is None:
                timer = LATENCY.labels(method, route)
                self.timers[key[:2]] = timer
            timer.observe(time.perf_counter() - started)

    async def scrape(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] == "/metrics":
            body = generate_latest(scrape_registry())
            response: Response = Response(body, media_type=CONTENT_TYPE_LATEST)
        else:
            response = JSONResponse({"detail": "Not Found"}, status_code=404)
        await response(scope, receive, send)


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


def setup(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(MetricsMiddleware, port=settings.metrics_port)
