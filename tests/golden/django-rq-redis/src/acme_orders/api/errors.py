"""One JSON error body for every error: ``{"detail": ..., "request_id": ...}``.

DRF's exceptions, Django's own 400/403/404/500 and the middleware's answers
all come out this way, never as an HTML page. Validation errors are a list
of pydantic-style ``{"type", "loc", "msg"}`` objects (what FastAPI's handler
answers, less the echoed input), under status 422.
"""

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.urls import Resolver404, resolve
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from acme_orders.api.fields import CODE_TYPES
from acme_orders.http_errors import OUTAGE_RETRY_AFTER_SECONDS, too_large_detail
from acme_orders.logs import request_id_var

logger = logging.getLogger("acme_orders.errors")

# The methods an Allow header may name, in FastAPI's order.
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
DETAILS = {
    exceptions.NotAuthenticated: "Not authenticated",
    exceptions.MethodNotAllowed: "Method Not Allowed",
    exceptions.NotFound: "Not Found",
    exceptions.PermissionDenied: "Forbidden",
}


COMPACT = {"separators": (",", ":"), "ensure_ascii": False}


def error_body(detail: object) -> dict[str, object]:
    return {"detail": detail, "request_id": request_id_var.get()}


def error_response(
    status_code: int,
    detail: object,
    headers: dict[str, str] | None = None,
    *,
    extra_body: Mapping[str, object] | None = None,
) -> JsonResponse:
    body = {**error_body(detail), **(extra_body or {})}
    response = JsonResponse(body, status=status_code, json_dumps_params=COMPACT)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


class RequestValidationError(exceptions.APIException):
    """422 with pydantic-style errors; ``errors`` is the flat list."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "invalid"

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__()
        self.errors = errors


def pydantic_errors(detail: Any, loc: Sequence[str | int]) -> list[dict[str, Any]]:
    """Flatten DRF's nested serializer errors; the nesting is the ``loc``."""
    if isinstance(detail, dict):
        found = []
        for key, sub in detail.items():
            where = loc if key == api_settings.NON_FIELD_ERRORS_KEY else [*loc, key]
            found += pydantic_errors(sub, where)
        return found
    if isinstance(detail, list):
        return [error for item in detail for error in pydantic_errors(item, loc)]
    code = getattr(detail, "code", "value_error")
    return [{"type": CODE_TYPES.get(code, code), "loc": list(loc), "msg": str(detail)}]


class TooManyAttempts(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = "Too many attempts; try again later"

    def __init__(self, retry_after: int) -> None:
        super().__init__()
        self.retry_after = retry_after


class DependencyUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Temporarily unavailable; try again shortly"


def allowed_methods(view: Any) -> list[str]:
    names = getattr(view, "http_method_names", ())
    return [m for m in METHODS if m.lower() in names and hasattr(view, m.lower())]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler: the shared body, FastAPI's words and headers."""
    headers: dict[str, str] = {}
    if isinstance(exc, RequestValidationError):
        detail: object = exc.errors
    elif isinstance(exc, exceptions.APIException):
        detail = DETAILS.get(type(exc), exc.detail)
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:
            headers["WWW-Authenticate"] = auth_header
        if isinstance(exc, exceptions.MethodNotAllowed):
            headers["Allow"] = ", ".join(allowed_methods(context.get("view")))
        if isinstance(exc, TooManyAttempts):
            headers["Retry-After"] = str(exc.retry_after)
        if isinstance(exc, DependencyUnavailable):
            headers["Retry-After"] = str(OUTAGE_RETRY_AFTER_SECONDS)
    else:
        if isinstance(exc, Http404):
            return exception_handler(exceptions.NotFound(), context)
        if isinstance(exc, PermissionDenied):
            return exception_handler(exceptions.PermissionDenied(), context)
        return None  # unexpected: the middleware answers 500
    set_rollback()
    return Response(error_body(detail), status=exc.status_code, headers=headers)


# Django's own error views (urls.py names them): the same body, never HTML.


def bad_request(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return too_large()
    return error_response(400, "Bad Request")


def too_large() -> HttpResponse:
    limit = settings.SERVICE_SETTINGS.max_request_body_bytes
    # Connection: close, so the rest of the body is never read.
    return error_response(413, too_large_detail(limit), {"Connection": "close"})


def permission_denied(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return error_response(403, "Forbidden")


class TemporaryRedirect(HttpResponseRedirect):
    status_code = 307


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # As Starlette does: a path that only differs by its trailing slash from
    # one that exists is redirected (307 keeps the method and body).
    path = request.path
    if path != "/":
        other = path[:-1] if path.endswith("/") else path + "/"
        try:
            resolve(other)
        except Resolver404:
            pass
        else:
            query = request.META.get("QUERY_STRING", "")
            location = request.build_absolute_uri(
                other + (f"?{query}" if query else "")
            )
            return TemporaryRedirect(location)
    return error_response(404, "Not Found")


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(500, "Internal Server Error")
