"""Prometheus metrics of an ASGI app: a middleware counts and times every
request on the public port under its route template, and answers /metrics
on METRICS_PORT (see observability/metrics.py)."""

import time
from collections.abc import Callable

from acme_orders.asgi_middleware import (
    ASGIApp,
    Message,
    Receive,
    Scope,
    Send,
    send_json,
)
from acme_orders.observability import metrics

# Where the framework put the template of the route that matched (the
# request's scope, once the framework has routed it), or None.
RouteOf = Callable[[Scope], str | None]


class MetricsMiddleware:
    """Counts and times every request on the public port; on the metrics
    port answers /metrics (and 404 for anything else) without counting it."""

    def __init__(self, app: ASGIApp, *, port: int, route_of: RouteOf) -> None:
        self.app = app
        self.port = port
        self.route_of = route_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        server = scope.get("server")
        if server and server[1] == self.port:
            await self.scrape(scope, send)
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
            route = self.route_of(scope) or metrics.UNMATCHED_ROUTE
            metrics.record(
                scope["method"], route, status_code, time.perf_counter() - started
            )

    async def scrape(self, scope: Scope, send: Send) -> None:
        if scope["path"] != "/metrics":
            await send_json(send, 404, {"detail": "Not Found"})
            return
        body, content_type = metrics.scrape()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", content_type.encode()),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
