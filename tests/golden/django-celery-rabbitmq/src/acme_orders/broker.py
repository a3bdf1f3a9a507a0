"""Broker seam: sending tasks and probing the broker.

Queue-neutral: celery_setup.py speaks the queue library's language (and
has its delivery settings, and why). The service sends tasks by name; the
worker (worker.py) registers the functions that run them.
"""

from functools import cache
from typing import Any

import acme_orders.celery_setup as queue_library
from acme_orders.settings import get_settings

is_outage = queue_library.is_outage


@cache
def client() -> Any:
    """The client the service sends with, made on first use and kept."""
    return queue_library.connect(get_settings())


def ping() -> None:
    queue_library.ping(client())


def send(name: str, key: str, args: list[Any]) -> None:
    """Put the task ``name`` on the queue; a worker runs it with ``(key, args)``."""
    queue_library.publish(client(), name, key, args)


def backlog() -> int:
    """How many tasks wait in the queue for a worker."""
    count: int = queue_library.backlog(client())
    return count
