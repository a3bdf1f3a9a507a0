"""Hooks the chosen observability integrations into the FastAPI app."""

from collections.abc import Callable

from fastapi import FastAPI

from acme_orders.observability import http_metrics, http_tracing
from acme_orders.settings import Settings

Installer = Callable[[FastAPI, Settings], None]

INSTALLERS: list[Installer] = [http_metrics.install, http_tracing.install]


def install(app: FastAPI, settings: Settings) -> None:
    for installer in INSTALLERS:
        installer(app, settings)
