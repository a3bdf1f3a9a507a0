"""Prometheus metrics of the Flask app: request hooks count and time every
request on the public port under its route template, and a WSGI middleware
answers /metrics on METRICS_PORT, which the server also listens on (see
observability/metrics.py), before the app sees the request."""

import json
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from apiflask import APIFlask
from flask import Response, g, request

from acme_orders.observability import metrics
from acme_orders.settings import Settings

# Werkzeug's route converters, <item_id> or <int:item_id>, as the {item_id}
# of the other frameworks' labels: one dashboard whatever the framework.
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def route_label() -> str:
    rule = request.url_rule
    if rule is None:
        return metrics.UNMATCHED_ROUTE
    return _CONVERTER.sub(r"{\1}", rule.rule)


def start_timer() -> None:
    g.metrics_started = time.perf_counter()


def record(response: Response) -> Response:
    metrics.record(
        request.method,
        route_label(),
        response.status_code,
        time.perf_counter() - g.metrics_started,
    )
    return response


class MetricsPort:
    """Answers /metrics on the metrics port (and 404 for anything else),
    without counting it; passes the public port's requests on."""

    def __init__(self, app: WSGIApp, port: int) -> None:
        self.app = app
        self.port = str(port)

    def __call__(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        if environ.get("SERVER_PORT") != self.port:
            return self.app(environ, start_response)
        if environ.get("PATH_INFO") != "/metrics":
            body = json.dumps({"detail": "Not Found"}).encode()
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [body]
        body, content_type = metrics.scrape()
        start_response("200 OK", [("Content-Type", content_type)])
        return [body]


def install(app: APIFlask, settings: Settings) -> None:
    # First of the hooks before a request, so it also times the answers of
    # the others (a 413, a preflight).
    app.before_request_funcs.setdefault(None, []).insert(0, start_timer)
    app.after_request(record)
    # Flask's way to add WSGI middleware: wrap the app's wsgi_app.
    port = settings.metrics_port
    app.wsgi_app = MetricsPort(app.wsgi_app, port)  # type: ignore[method-assign]
