"""Prometheus metrics: request counts and latencies per route, at /metrics.

Labels use the route template (/items/{item_id}), never the raw path, so
the number of series stays bounded whatever clients request.

With several worker processes (WEB_CONCURRENCY > 1) each would count on its
own and a scrape would see one of them: set PROMETHEUS_MULTIPROC_DIR to an
empty directory and /metrics adds up every worker's counts.
"""

import os
import time

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
from starlette.requests import Request
from starlette.responses import Response
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
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
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
            REQUESTS.labels(method, route, str(status_code)).inc()
            LATENCY.labels(method, route).observe(time.perf_counter() - started)


def scrape_registry() -> CollectorRegistry:
    """This process's metrics, or every worker's in multiprocess mode."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry


async def metrics(_: Request) -> Response:
    return Response(generate_latest(scrape_registry()), media_type=CONTENT_TYPE_LATEST)


def setup(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(MetricsMiddleware)
    app.add_route("/metrics", metrics, include_in_schema=False)
