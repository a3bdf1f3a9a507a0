"""HTTP clients for apps under test, with the app's lifespan running."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from acme_orders.asgi_middleware import ASGIApp, Message


@asynccontextmanager
async def running(app: ASGIApp) -> AsyncIterator[None]:
    """The ASGI lifespan of ``app`` (start-up, then shut-down) around the block."""
    to_app: asyncio.Queue[Message] = asyncio.Queue()
    from_app: asyncio.Queue[Message] = asyncio.Queue()
    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    lifespan = app(scope, to_app.get, from_app.put)
    task: asyncio.Future[None] = asyncio.ensure_future(lifespan)
    await to_app.put({"type": "lifespan.startup"})
    started = await from_app.get()
    if started["type"] != "lifespan.startup.complete":
        raise RuntimeError(f"the app did not start: {started.get('message')}")
    try:
        yield
    finally:
        await to_app.put({"type": "lifespan.shutdown"})
        await from_app.get()
        await task


@asynccontextmanager
async def serve(app: ASGIApp) -> AsyncIterator[httpx.AsyncClient]:
    """A client for ``app`` that calls from an address of its own.

    Rate-limit counters in a shared Redis outlive a test run; a fresh client
    address keeps each client's counts apart.
    """
    transport = httpx.ASGITransport(app=app, client=(uuid.uuid4().hex, 50000))
    async with (
        running(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        yield client
