"""Broker seam: the connection the service holds to the task queue, and ``send``.

Queue-neutral: celery_setup.py speaks the queue library's language (and
has its delivery settings, and why). The service sends tasks by name; the
worker (worker.py) registers the functions that run them.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import acme_orders.celery_setup as queue_library
from acme_orders import concurrency
from acme_orders.runtime import Resource
from acme_orders.settings import Settings

NAME = "broker"

# The client the service sends with, while a runtime holds it open: tasks
# are enqueued from deep in the domain, where no runtime is at hand.
_sending: dict[str, Any] = {}


@asynccontextmanager
async def connect(settings: Settings) -> AsyncIterator[Any]:
    client = await concurrency.off_loop(queue_library.connect, settings)
    _sending[NAME] = client
    try:
        yield client
    finally:
        _sending.pop(NAME, None)
        await concurrency.off_loop(queue_library.close, client)


async def ping(client: Any) -> None:
    await concurrency.off_loop(queue_library.ping, client)


RESOURCE = Resource(NAME, connect, ping, queue_library.is_outage)


def _client() -> Any:
    try:
        return _sending[NAME]
    except KeyError:
        msg = "the broker is not open: send from inside a running runtime"
        raise RuntimeError(msg) from None


async def send(name: str, key: str, args: list[Any]) -> None:
    """Put the task ``name`` on the queue; a worker runs it with ``(key, args)``."""
    await concurrency.off_loop(queue_library.publish, _client(), name, key, args)


async def backlog() -> int:
    """How many tasks wait in the queue for a worker."""
    count: int = await concurrency.off_loop(queue_library.backlog, _client())
    return count
