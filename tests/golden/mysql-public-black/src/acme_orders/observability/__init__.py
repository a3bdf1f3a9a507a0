"""Observability seam: each chosen integration hooks into the app here.

JSON logs with request ids are always on (see logs.py); metrics, traces and
error reports are the modules imported below.
"""

from collections.abc import Callable

from fastapi import FastAPI

from acme_orders.settings import Settings

Integration = Callable[[FastAPI, Settings], None]
ListenPort = Callable[[Settings], int]

INTEGRATIONS: list[Integration] = []

# Ports the server opens besides PORT, one per integration that serves apart
# from the API (see server.py).
LISTEN_PORTS: list[ListenPort] = []


def setup(app: FastAPI, settings: Settings) -> None:
    for integration in INTEGRATIONS:
        integration(app, settings)
