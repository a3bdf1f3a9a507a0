"""Error answers and their documentation: one JSON body for every error.

Every error body is ``{"detail": ..., "request_id": ...}``; validation
errors say what was wrong without echoing what was sent. The OpenAPI schema
documents each status an operation can answer with that body, so generated
clients and the service agree. Unexpected errors and dependency outages are
answered by the request middleware (middleware.py).
"""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match

from acme_orders.http_errors import document_errors, validation_details
from acme_orders.logs import request_id_var

# FastAPI's answer to a body it cannot decode (bad UTF-8, say): answered as
# the validation error it is, like malformed JSON.
_UNREADABLE_BODY = "There was an error parsing the body"

_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def error_response(
    status: int, detail: object, headers: dict[str, str] | None = None
) -> JSONResponse:
    content = {"detail": detail, "request_id": request_id_var.get()}
    return JSONResponse(status_code=status, content=content, headers=headers)


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    errors: list[dict[str, Any]] = getattr(exc, "errors", list)()
    return error_response(422, validation_details(errors))


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, HTTPException):  # registered for HTTPException only
        raise exc
    if exc.status_code == 400 and exc.detail == _UNREADABLE_BODY:
        unreadable = {"type": "body_unreadable", "loc": ["body"], "msg": exc.detail}
        return error_response(422, [unreadable])
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        # Starlette names only the first route that matched the path.
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return error_response(exc.status_code, exc.detail, headers)


def _allowed_methods(request: Request) -> list[str]:
    # Asked of the router itself, one method at a time: included routers
    # do not list their methods.
    routes = request.app.router.routes
    return [
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL
            for route in routes
        )
    ]


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    app.openapi = _documenting_errors(app.openapi)  # type: ignore[method-assign]


def _documenting_errors(
    build: Callable[[], dict[str, Any]],
) -> Callable[[], dict[str, Any]]:
    """Wrap FastAPI's schema builder so every error response is documented."""

    def openapi() -> dict[str, Any]:
        return document_errors(build())

    return openapi
