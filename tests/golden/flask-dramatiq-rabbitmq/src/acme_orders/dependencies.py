"""What a Flask view works with: the service's runtime (runtime.py: its
settings and connections) and a database session per request.

Flask has no dependency injection: views call these functions, which read
the current app and request. The runtime opens its connections with the
app, in each worker process (where gunicorn creates the app), so a worker
that cannot open them fails to start; they close at exit. A request's
session is opened when it first asks for one and closed when it ends.
"""

import atexit
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from typing import cast

from flask import Flask, current_app, g, request
from sqlalchemy.orm import Session

from acme_orders import db
from acme_orders.runtime import Runtime

# Requests with these methods only read (HTTP's safe methods): they get a
# session on the read engine, which may skip the transaction around them.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Where the app keeps its runtime (Flask's place for an extension's state).
EXTENSION = "acme_orders.runtime"

# A session for one request: reading (GET) or not.
SessionSource = Callable[[bool], AbstractContextManager[Session]]


class OpenRuntime:
    """A runtime, running until ``close`` or the process exits."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.sessions: SessionSource = self._database_sessions
        self._closing = ExitStack()
        self._closing.enter_context(runtime.running())
        atexit.register(self._closing.close)

    def close(self) -> None:
        self._closing.close()

    def _database_sessions(self, reading: bool) -> AbstractContextManager[Session]:
        return db.database(self.runtime).session(reading=reading)


def open_runtime(app: Flask, runtime: Runtime) -> None:
    app.extensions[EXTENSION] = OpenRuntime(runtime)
    app.teardown_request(_close_session)


def service_of(app: Flask) -> OpenRuntime:
    """The runtime create_app attached: the one place that reads extensions."""
    return cast(OpenRuntime, app.extensions[EXTENSION])


def current_runtime() -> Runtime:
    return service_of(current_app).runtime


def session() -> Session:
    """This request's session; work is committed by the service functions.

    Requests that only read (GET) get theirs from the read engine, so a GET
    view must not write: HTTP promises clients it does not.
    """
    if "db_session" not in g:
        closing = ExitStack()
        g.db_session_closing = closing
        sessions = service_of(current_app).sessions
        g.db_session = closing.enter_context(
            sessions(request.method in READING_METHODS),
        )
    return cast(Session, g.db_session)


def _close_session(_error: BaseException | None) -> None:
    closing: ExitStack | None = g.pop("db_session_closing", None)
    if closing is not None:
        closing.close()
