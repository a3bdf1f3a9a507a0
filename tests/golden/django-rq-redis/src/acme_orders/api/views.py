"""The base of every API view: FastAPI's order of checks, on DRF.

FastAPI answers a wrong method (405) before anything else, then malformed
JSON (422) before authentication, then authentication (401), then the
validation of the path, query and body together (422), and counts rate-limited
attempts only once the input is valid. DRF authenticates, checks permissions
and throttles in ``initial``; this view puts those steps in FastAPI's order.
"""

import email.message
import json
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, NoReturn

from django.http.multipartparser import MultiPartParserError
from rest_framework import serializers
from rest_framework.exceptions import MethodNotAllowed, ParseError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from acme_orders.api.errors import (
    RequestValidationError,
    TooManyAttempts,
    pydantic_errors,
)
from acme_orders.api.fields import FIELD_REQUIRED
from acme_orders.http_errors import UNREADABLE_BODY_ERROR

MISSING = object()
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class FirstRendererNegotiation(BaseContentNegotiation):
    """JSON whatever the Accept header says, as FastAPI answers."""

    def select_parser(self, request: Request, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(
        self, request: Request, renderers: Any, format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = renderers[0]
        return renderer, renderer.media_type


def _is_json(content_type: str) -> bool:
    message = email.message.Message()
    message["content-type"] = content_type
    if message.get_content_maintype() != "application":
        return False
    subtype = message.get_content_subtype()
    return subtype == "json" or subtype.endswith("+json")


def read_json_body(request: Request) -> object:
    """The body as FastAPI reads it for a JSON model: MISSING when empty,
    parsed JSON when the type is JSON (or not given), the raw bytes else."""
    raw = request.body  # RequestDataTooBig (413) passes through
    if not raw:
        return MISSING
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type and not _is_json(content_type):
        return raw
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        problem = {
            "type": "json_invalid",
            "loc": ["body", error.pos],
            "msg": "JSON decode error",
        }
        raise RequestValidationError([problem]) from None
    except ValueError:  # undecodable bytes
        raise RequestValidationError([UNREADABLE_BODY_ERROR]) from None


def read_form(request: Request) -> Mapping[str, Any]:
    """Form fields of a form-encoded body; none for any other body."""
    if request.content_type.split(";")[0].strip().lower() not in FORM_TYPES:
        return {}
    try:
        return request._request.POST
    except MultiPartParserError:
        raise ParseError("Invalid multipart data.") from None


class ApiView(APIView):
    """An API view: 405 first, JSON parsed before authentication, explicit
    validation and throttling (see ``validate`` and ``throttle``)."""

    # The methods a view implements; HEAD and OPTIONS answer 405, as in FastAPI.
    http_method_names: ClassVar[list[str]] = [  # type: ignore[misc]
        "get",
        "post",
        "put",
        "patch",
        "delete",
    ]
    # Methods whose body is a JSON model, parsed before authentication.
    json_methods: ClassVar[frozenset[str]] = frozenset()
    content_negotiation_class = FirstRendererNegotiation

    @property
    def default_response_headers(self) -> dict[str, str]:
        # DRF would send Allow on every answer; FastAPI only on a 405.
        return {}

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        method = (request.method or "").lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise MethodNotAllowed(request.method or "")
        self.body = read_json_body(request) if method in self.json_methods else MISSING
        super().initial(request, *args, **kwargs)

    def check_throttles(self, request: Request) -> None:
        # Throttled in the handler, once the input is valid (``throttle``).
        return None

    def throttled(self, request: Request, wait: float | None) -> NoReturn:
        raise TooManyAttempts(int(wait or 0))

    def throttle(self, request: Request, throttles: Sequence[BaseThrottle]) -> None:
        """Count an attempt against each throttle in turn; stop at the first
        that refuses (its ``refuse`` raises 429, or 503 when uncountable)."""
        for throttle in throttles:
            if not throttle.allow_request(request, self):
                self.throttled(request, throttle.wait())

    def validate(
        self,
        *checks: tuple[type[serializers.Serializer[Any]], object, str, dict[str, Any]],
    ) -> list[dict[str, Any]]:
        """Validate each (serializer, data, location, options); raise one 422
        with every error, in FastAPI's order; return the validated values."""
        errors: list[dict[str, Any]] = []
        values: list[dict[str, Any]] = []
        for serializer_class, data, location, options in checks:
            if data is MISSING:
                errors.append(
                    {"type": "missing", "loc": [location], "msg": FIELD_REQUIRED}
                )
                values.append({})
                continue
            serializer = serializer_class(data=data, **options)
            if serializer.is_valid():
                values.append(dict(serializer.validated_data))
            else:
                errors += pydantic_errors(serializer.errors, [location])
                values.append({})
        if errors:
            raise RequestValidationError(errors)
        return values
