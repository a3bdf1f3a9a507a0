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
    """Nothing to instrument with the integrations chosen."""
