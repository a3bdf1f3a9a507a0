"""Broker seam (Celery): sending tasks and probing the broker, with the app
of config/celery.py. celery_setup.py has the delivery settings and why."""

from typing import Any

from acme_orders import celery_setup
from acme_orders.config.celery import app

is_outage = celery_setup.is_outage


def ping() -> None:
    celery_setup.ping(app)


def send(name: str, key: str, args: list[Any]) -> None:
    """Put the task ``name`` on the queue; a worker runs ``(key, args)``."""
    celery_setup.publish(app, name, key, args)
