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

from acme_orders.api.errors import error_response, too_large
from acme_orders.api.outages import outage_of
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


ALLOW_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
SAFELISTED_HEADERS = {"Accept", "Accept-Language", "Content-Language", "Content-Type"}
ALLOW_HEADERS = sorted(SAFELISTED_HEADERS | {"Authorization", "X-Request-ID"})
PREFLIGHT_VARY = (
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers,"
    " Access-Control-Request-Private-Network"
)


class CorsMiddleware:
    """Starlette's CORS rules (bearer tokens, no credentials) for browsers;
    other clients' answers only say ``Vary: Origin``."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.origins = settings.SERVICE_SETTINGS.cors_origins
        self.allow_all = "*" in self.origins
        self.allow_headers = [h.lower() for h in ALLOW_HEADERS]

    def allowed(self, origin: str) -> bool:
        return self.allow_all or origin in self.origins

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        origin = request.META.get("HTTP_ORIGIN")
        requested_method = request.META.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD")
        if (
            origin is not None
            and requested_method is not None
            and request.method == "OPTIONS"
        ):
            return self.preflight(request, origin, requested_method)
        response = self.get_response(request)
        if origin is not None:
            response["Access-Control-Expose-Headers"] = "X-Request-ID"
            if self.allow_all:
                response["Access-Control-Allow-Origin"] = "*"
            elif self.allowed(origin):
                response["Access-Control-Allow-Origin"] = origin
        vary = response.get("Vary")
        response["Vary"] = f"{vary}, Origin" if vary else "Origin"
        return response

    def preflight(self, request: HttpRequest, origin: str, method: str) -> HttpResponse:
        headers = {"Vary": PREFLIGHT_VARY}
        failures = []
        if self.allowed(origin):
            headers["Access-Control-Allow-Origin"] = "*" if self.allow_all else origin
        else:
            failures.append("origin")
        headers["Access-Control-Allow-Methods"] = ", ".join(ALLOW_METHODS)
        headers["Access-Control-Max-Age"] = "600"
        headers["Access-Control-Allow-Headers"] = ", ".join(ALLOW_HEADERS)
        if method not in ALLOW_METHODS:
            failures.append("method")
        requested = request.META.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS")
        if requested is not None and any(
            h.strip() not in self.allow_headers for h in requested.lower().split(",")
        ):
            failures.append("headers")
        if request.META.get("HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK") is not None:
            failures.append("private-network")
        text = "Disallowed CORS " + ", ".join(failures) if failures else "OK"
        response = HttpResponse(
            text,
            status=400 if failures else 200,
            content_type="text/plain; charset=utf-8",
        )
        for name, value in headers.items():
            response[name] = value
        return response


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or, when that is a trusted proxy
    (FORWARDED_ALLOW_IPS), the X-Forwarded-For client as uvicorn picks it:
    the first untrusted address from the right."""
    remote = str(request.META.get("REMOTE_ADDR") or "unknown")
    allowed: str = settings.SERVICE_SETTINGS.forwarded_allow_ips
    trusted = [address.strip() for address in allowed.split(",")]
    always = "*" in trusted
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if not forwarded or not (always or remote in trusted):
        return remote
    hosts = [host.strip() for host in forwarded.split(",") if host.strip()]
    if not hosts:
        return remote
    if always:
        return hosts[0]
    for host in reversed(hosts):
        if host not in trusted:
            return host
    return hosts[0]
