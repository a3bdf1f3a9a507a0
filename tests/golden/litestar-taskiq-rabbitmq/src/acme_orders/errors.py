"""Error answers: one JSON body for every error, as every framework sends it.

Every error body is ``{"detail": ..., "request_id": ...}``. A request
Litestar cannot read or validate is a 422 whose detail lists ``loc``,
``msg`` and ``type`` of each error without echoing what was sent. Anything
else that escapes a handler (a bug, a dependency outage) goes on to the
request middleware (asgi_middleware.py), which answers 500 or 503 in the
request's context.
"""

from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_400_BAD_REQUEST
from litestar.types import ExceptionHandlersMap

from acme_orders.http_errors import validation_details
from acme_orders.logs import request_id_var


def error_response(
    status: int, detail: object, headers: dict[str, str] | None = None
) -> Response[dict[str, object]]:
    return Response(
        {"detail": detail, "request_id": request_id_var.get()},
        status_code=status,
        headers=headers,
        media_type=MediaType.JSON,
    )


def validation_error(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[dict[str, object]]:
    return error_response(422, _details(exc))


def http_error(
    request: Request[Any, Any, Any], exc: HTTPException
) -> Response[dict[str, object]]:
    if exc.status_code == HTTP_400_BAD_REQUEST:
        # A body Litestar could not decode (malformed JSON, bad UTF-8): the
        # validation error it is, as the other frameworks answer it.
        unreadable = {"type": "body_unreadable", "loc": ["body"], "msg": exc.detail}
        return error_response(422, [unreadable])
    return error_response(exc.status_code, exc.detail, exc.headers)


def unexpected_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    # Not answered here: the request middleware logs it and answers 500, or
    # 503 for an outage, like it does for every ASGI framework.
    raise exc


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    ValidationException: validation_error,
    HTTPException: http_error,
    Exception: unexpected_error,
}


def _details(exc: ValidationException) -> list[dict[str, Any]]:
    """Each error's place (``loc``), message and type, as pydantic words them."""
    cause = exc.__cause__
    # The request's pydantic models: their own errors, placed in the body.
    pydantic_errors: list[dict[str, Any]] | None = getattr(cause, "errors", None)
    if isinstance(pydantic_errors, list):
        return [
            {**error, "loc": ["body", *error.get("loc", ())]}
            for error in validation_details(pydantic_errors)
        ]
    # Parameters (path, query): msgspec's messages, one per parameter.
    messages: list[dict[str, str]] = exc.extra if isinstance(exc.extra, list) else []
    return [
        {
            "type": "value_error",
            "loc": [message.get("source", "body"), message.get("key", "")],
            "msg": message.get("message", "Invalid value"),
        }
        for message in messages
    ] or [{"type": "value_error", "loc": ["body"], "msg": exc.detail}]
