"""Observability seam: each chosen integration hooks into the app here.

JSON logs with request ids are always on (see logs.py); metrics, traces and
error reports are the modules imported below.
"""

from collections.abc import Callable

from fastapi import FastAPI

from acme_orders.observability import metrics
from acme_orders.settings import Settings

Integration = Callable[[FastAPI, Settings], None]

INTEGRATIONS: list[Integration] = [
    metrics.setup,
]


def setup(app: FastAPI, settings: Settings) -> None:
    for integration in INTEGRATIONS:
        integration(app, settings)
