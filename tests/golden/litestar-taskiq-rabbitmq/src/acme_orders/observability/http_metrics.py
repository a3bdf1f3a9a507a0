"""Prometheus metrics of the Litestar app: the ASGI middleware every ASGI
framework shares (observability/asgi_metrics.py), around the whole app so
unmatched paths are counted too, labelled with Litestar's route templates."""

from acme_orders.asgi_middleware import ASGIApp, Scope
from acme_orders.observability.asgi_metrics import MetricsMiddleware
from acme_orders.settings import Settings


def route_template(scope: Scope) -> str | None:
    # Litestar's router writes it into the scope once a route matched.
    path: str | None = scope.get("path_template")
    return path


def wrap(app: ASGIApp, settings: Settings) -> ASGIApp:
    return MetricsMiddleware(app, port=settings.metrics_port, route_of=route_template)
