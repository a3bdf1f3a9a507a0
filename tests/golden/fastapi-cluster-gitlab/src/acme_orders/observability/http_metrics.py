"""Prometheus metrics of the FastAPI app: the ASGI middleware every ASGI
framework shares (observability/asgi_metrics.py), labelled with Starlette's
route templates."""

from fastapi import FastAPI

from acme_orders.asgi_middleware import Scope
from acme_orders.observability.asgi_metrics import MetricsMiddleware
from acme_orders.settings import Settings


def route_template(scope: Scope) -> str | None:
    path: str | None = getattr(scope.get("route"), "path", None)
    return path


def install(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(
        MetricsMiddleware, port=settings.metrics_port, route_of=route_template
    )
