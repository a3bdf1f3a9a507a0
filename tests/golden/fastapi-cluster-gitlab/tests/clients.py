"""HTTP clients for apps under test, with the app's lifespan running."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI


@asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client for ``app`` that calls from an address of its own.

    Rate-limit counters in a shared Redis outlive a test run; a fresh client
    address keeps each client's counts apart.
    """
    transport = httpx.ASGITransport(app=app, client=(uuid.uuid4().hex, 50000))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        yield client
