"""Litestar dependencies on the service's runtime (runtime.py, kept in the
app's state), and a database session per request."""

from contextlib import AsyncExitStack
from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.types import ASGIApp, Receive, Scope, Send
from sqlalchemy.ext.asyncio import AsyncSession

from acme_orders import db
from acme_orders.runtime import Runtime

# The key of the runtime in the app's state: the one place that reads it is
# runtime_of below.
RUNTIME = "runtime"
# Requests with these methods only read (HTTP's safe methods): they get a
# session on the read engine, which may skip the transaction around them.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def runtime_of(state: State) -> Runtime:
    runtime: Runtime = state[RUNTIME]
    return runtime


async def provide_session(
    state: State, request: Request[Any, Any, Any]
) -> AsyncSession:
    """One session per request; work is committed by the service functions.

    Requests that only read (GET) get theirs from the read engine, so a GET
    handler must not write: HTTP promises clients it does not. The session
    is closed when the request ends (close_sessions_when_done), not by a
    generator dependency: Litestar 2 never closes a generator dependency
    when a dependency resolved after it fails (the current user, say, while
    the database is down), and the garbage collector then closes it outside
    the request.
    """
    database = db.database(runtime_of(state))
    reading = request.method in READING_METHODS
    closing: AsyncExitStack = request.scope["state"].setdefault(
        _CLOSING, AsyncExitStack()
    )
    return await closing.enter_async_context(database.session(reading=reading))


def close_sessions_when_done(app: ASGIApp) -> ASGIApp:
    """Litestar middleware: what provide_session opened for a request is
    closed when its handler is done, with the error that ended it, if any.
    Requests that opened nothing (the probes, say) pay for a lookup only."""

    async def closing_sessions(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await app(scope, receive, send)
        except BaseException as error:
            closing = scope["state"].pop(_CLOSING, None)
            if closing is not None:
                await closing.__aexit__(type(error), error, error.__traceback__)
            raise
        closing = scope["state"].pop(_CLOSING, None)
        if closing is not None:
            await closing.aclose()

    return closing_sessions


# Where a request's scope keeps what is to be closed when it ends.
_CLOSING = "closing"


def provide_runtime(state: State) -> Runtime:
    return runtime_of(state)


# What a handler names to get them (Litestar injects dependencies by name).
DEPENDENCIES = {
    "runtime": Provide(provide_runtime, sync_to_thread=False),
    "session": Provide(provide_session),
}
AppRuntime = NamedDependency[Runtime]
Session = NamedDependency[AsyncSession]
