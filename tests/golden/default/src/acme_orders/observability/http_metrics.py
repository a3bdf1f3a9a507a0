"""Prometheus metrics of the FastAPI app: an ASGI middleware counts and times
every request on the public port under its route template, and answers
/metrics on METRICS_PORT (see observability/metrics.py)."""

import time

from fastapi import FastAPI
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from acme_orders.observability import metrics
from acme_orders.settings import Settings


class MetricsMiddleware:
    """Counts and times every request on the public port; on the metrics
    port answers /metrics (and 404 for anything else) without counting it."""

    def __init__(self, app: ASGIApp, *, port: int) -> None:
        self.app = app
        self.port = port

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
            route = getattr(scope.get("route"), "path", metrics.UNMATCHED_ROUTE)
            metrics.record(
                scope["method"], route, status_code, time.perf_counter() - started
            )

    async def scrape(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] == "/metrics":
            body, content_type = metrics.scrape()
            response: Response = Response(body, media_type=content_type)
        else:
            response = JSONResponse({"detail": "Not Found"}, status_code=404)
        await response(scope, receive, send)


def install(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(MetricsMiddleware, port=settings.metrics_port)
