"""Request id, security headers, access logs, errors, body size and CORS.

Django middleware, in the FastAPI service's order: RequestContextMiddleware
runs first, so every answer (413s, CORS refusals and 500s included) carries
the request id and the security headers.
"""

import logging
import os
import re
import time
import traceback
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    UnreadablePostError,
)

from acme_orders import forwarded
from acme_orders.api.errors import error_response, too_large
from acme_orders.api.outages import outage_of
from acme_orders.cors import CorsPolicy, is_preflight
from acme_orders.http_errors import (
    OUTAGE_RETRY_AFTER_SECONDS,
    REQUEST_TIMEOUT_DETAIL,
)
from acme_orders.http_headers import (
    CONTENT_SECURITY_POLICY,
    SECURITY_HEADERS,
    STRICT_TRANSPORT_SECURITY,
)
from acme_orders.logs import request_id_var
from acme_orders.outage_log import report_outage
from acme_orders.settings import Environment

access_logger = logging.getLogger("acme_orders.access")
error_logger = logging.getLogger("acme_orders.errors")

_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class RequestContextMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        service = settings.SERVICE_SETTINGS
        self.debug = service.debug
        production = service.environment is Environment.PRODUCTION
        extra = STRICT_TRANSPORT_SECURITY if production else {}
        self.docs_headers = {**SECURITY_HEADERS, **extra}
        self.api_headers = {**self.docs_headers, **CONTENT_SECURITY_POLICY}
        # The interactive docs and the admin load scripts and styles.
        admin_path = service.admin_path.strip("/")
        admin = f"/{admin_path}/" if admin_path else "/docs"
        self.exempt = ("/docs", "/redoc", admin)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        safe = _SAFE_REQUEST_ID.fullmatch(incoming)
        request_id = incoming if safe else os.urandom(16).hex()
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        response: HttpResponseBase | None = None
        try:
            response = self.get_response(request)
            is_docs = request.path.startswith(self.exempt)
            headers = self.docs_headers if is_docs else self.api_headers
            response["X-Request-ID"] = request_id
            for name, value in headers.items():
                response.headers.setdefault(name, value)
            # The access line below records every answer: Django's own
            # "django.request" line for each 4xx and 5xx would repeat it
            # (an outage and an unexpected error get their own lines here).
            response._has_been_logged = True  # type: ignore[attr-defined]
            return response
        finally:
            access_logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code if response is not None else 500,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            request_id_var.reset(token)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        """A view's unexpected error: 503 for an outage, else a JSON 500."""
        if isinstance(exception, RequestDataTooBig):
            return too_large()
        if isinstance(exception, UnreadablePostError):
            # The body stalled past REQUEST_BODY_TIMEOUT_SECONDS (server.py).
            return error_response(408, REQUEST_TIMEOUT_DETAIL, {"Connection": "close"})
        dependency = outage_of(exception)
        if dependency is not None:
            # An outage is not a bug: one short line (see report_outage)
            # rather than a traceback per request.
            report_outage(dependency, exception)
            return error_response(
                503,
                f"The {dependency} is unavailable; try again shortly",
                {"Retry-After": str(OUTAGE_RETRY_AFTER_SECONDS)},
            )
        error_logger.exception("unhandled error", extra={"path": request.path})
        # DEBUG (development only) puts the traceback in the answer.
        extra = {"traceback": traceback.format_exc()} if self.debug else {}
        return error_response(500, "Internal Server Error", extra_body=extra)


class BodyLimitMiddleware:
    """Refuse a declared Content-Length over the limit before reading a byte.

    A body without one (chunked) is stopped by Django itself once it passes
    DATA_UPLOAD_MAX_MEMORY_SIZE (the same limit): RequestDataTooBig, 413.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.max_bytes = settings.SERVICE_SETTINGS.max_request_body_bytes

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.max_bytes:
            return too_large()
        return self.get_response(request)


class CorsMiddleware:
    """CORS (cors.py's policy) for browsers; other clients' answers only say
    ``Vary: Origin``."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.policy = CorsPolicy(settings.SERVICE_SETTINGS.cors_origins)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        origin = request.META.get("HTTP_ORIGIN")
        requested_method = request.META.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD")
        if is_preflight(request.method or "", origin, requested_method):
            answer = self.policy.preflight(
                origin or "",
                requested_method or "",
                request.META.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS"),
                "HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK" in request.META,
            )
            preflight = HttpResponse(
                answer.text,
                status=answer.status,
                content_type="text/plain; charset=utf-8",
            )
            for name, value in answer.headers.items():
                preflight[name] = value
            return preflight
        response = self.get_response(request)
        headers = self.policy.answer_headers(origin, response.get("Vary"))
        for name, value in headers.items():
            response[name] = value
        return response


def client_address(request: HttpRequest) -> str:
    """The client's address, behind the proxies FORWARDED_ALLOW_IPS trusts."""
    return forwarded.client_address(
        request.META.get("REMOTE_ADDR"),
        str(request.META.get("HTTP_X_FORWARDED_FOR", "")),
        settings.SERVICE_SETTINGS.forwarded_allow_ips,
    )
