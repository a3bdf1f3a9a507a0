"""Wraps the Litestar app in the chosen observability integrations' ASGI
middleware: metrics (unmatched paths and the metrics port included) and
traces, outermost, so every log line of a request carries its trace id."""

from collections.abc import Callable

from acme_orders.asgi_middleware import ASGIApp
from acme_orders.observability import http_metrics
from acme_orders.settings import Settings

Wrapper = Callable[[ASGIApp, Settings], ASGIApp]

WRAPPERS: list[Wrapper] = [http_metrics.wrap]


def wrap(app: ASGIApp, settings: Settings) -> ASGIApp:
    for wrapper in WRAPPERS:
        app = wrapper(app, settings)
    return app
