"""HTTP clients for apps under test, over WSGI as gunicorn calls the app."""

import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from apiflask import APIFlask

from acme_orders.dependencies import service_of

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def as_gunicorn_calls(app: WSGIApp) -> WSGIApp:
    """``app``, told that a body sent without Content-Length ends where the
    input ends, as gunicorn tells it (httpx's WSGI transport does not)."""

    def called(
        environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        environ["wsgi.input_terminated"] = True
        return app(environ, start_response)

    return called


@contextmanager
def serve(app: APIFlask) -> Iterator[httpx.Client]:
    """A client for ``app`` that calls from an address of its own.

    Rate-limit counters in a shared Redis outlive a test run; a fresh client
    address keeps each client's counts apart.
    """
    transport = httpx.WSGITransport(
        app=as_gunicorn_calls(app), remote_addr=uuid.uuid4().hex
    )
    try:
        with httpx.Client(transport=transport, base_url="http://testserver") as client:
            yield client
    finally:
        service_of(app).close()
