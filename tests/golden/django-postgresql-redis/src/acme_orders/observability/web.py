"""Hooks the chosen observability integrations into Django: their middleware
(config/settings.py lists it) and their instrumentations (config/wsgi.py
installs them before the application loads)."""

from acme_orders.settings import Settings

# Outermost first, right after the request context (config/settings.py).
PACKAGE = "acme_orders"
MIDDLEWARE: list[str] = [
    f"{PACKAGE}.observability.http_metrics.MetricsMiddleware",
]


def install(settings: Settings) -> None:
    from acme_orders.observability import http_tracing

    http_tracing.install(settings)
