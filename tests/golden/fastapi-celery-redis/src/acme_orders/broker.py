"""Broker seam (Celery): the app, the connection the service holds, ``send``.

The app holds no task code: the service sends tasks by name, and the worker
(worker.py) registers the functions that run them. celery_setup.py has the
delivery settings and why.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from celery import Celery

from acme_orders import celery_setup, concurrency
from acme_orders.runtime import Resource
from acme_orders.settings import Settings

NAME = "broker"

app = Celery("acme_orders")


@asynccontextmanager
async def connect(settings: Settings) -> AsyncIterator[Celery]:
    celery_setup.configure(app, settings)
    try:
        yield app
    finally:
        app.close()


async def ping(celery: Celery) -> None:
    await concurrency.off_loop(celery_setup.ping, celery)


RESOURCE = Resource(NAME, connect, ping, celery_setup.is_outage)


async def send(name: str, key: str, args: list[Any]) -> None:
    """Put the task ``name`` on the queue; a worker runs ``(key, args)``."""
    await concurrency.off_loop(celery_setup.publish, app, name, key, args)
