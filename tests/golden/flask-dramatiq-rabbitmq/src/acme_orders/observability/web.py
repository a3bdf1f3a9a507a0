"""Hooks the chosen observability integrations into the Flask app: each
module's ``install`` adds its request hooks or WSGI middleware."""

from collections.abc import Callable

from apiflask import APIFlask

from acme_orders.observability import http_metrics
from acme_orders.settings import Settings

Installer = Callable[[APIFlask, Settings], None]

INSTALLERS: list[Installer] = [http_metrics.install]


def install(app: APIFlask, settings: Settings) -> None:
    for installer in INSTALLERS:
        installer(app, settings)
