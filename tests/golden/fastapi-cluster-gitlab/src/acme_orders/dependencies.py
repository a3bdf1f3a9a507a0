"""FastAPI dependencies on the service's runtime: its settings and
connections (runtime.py), and a database session per request."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from sqlalchemy.ext.asyncio import AsyncSession

from acme_orders import db
from acme_orders.runtime import Runtime

# Requests with these methods only read (HTTP's safe methods): they get a
# session on the read engine, which may skip the transaction around them.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def attach_runtime(app: FastAPI, runtime: Runtime) -> None:
    app.state.runtime = runtime


def runtime_of(app: FastAPI) -> Runtime:
    """The runtime create_app attached: the one place that reads app.state."""
    runtime: Runtime = app.state.runtime
    return runtime


def request_runtime(request: Request) -> Runtime:
    return runtime_of(request.app)


AppRuntime = Annotated[Runtime, Depends(request_runtime)]


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request; work is committed by the service functions.

    Requests that only read (GET) get theirs from the read engine, so a GET
    handler must not write: HTTP promises clients it does not.
    """
    database = db.database(runtime_of(request.app))
    async with database.session(reading=request.method in READING_METHODS) as session:
        yield session


Session = Annotated[AsyncSession, Depends(get_session)]
