"""Request id, security headers and access logs, as plain ASGI middleware.

Plain ASGI (rather than BaseHTTPMiddleware) keeps the per-request cost low:
no extra task, no body buffering.
"""

import logging
import re
import time
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from acme_orders.logs import request_id_var

access_logger = logging.getLogger("acme_orders.access")

REQUEST_ID_HEADER = "x-request-id"
# A caller-supplied id is reused only if it is short and harmless to log.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), geolocation=(), microphone=()",
    # API responses are data, never pages: nothing may load or frame them.
    # /docs is exempt below, since Swagger UI loads its own scripts.
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
}
HSTS_VALUE = "max-age=63072000; includeSubDomains"
_DOCS_PATHS = ("/docs", "/redoc")


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        request_id = _incoming_request_id(scope) or uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status_code = 500
        is_docs = scope["path"].startswith(_DOCS_PATHS)

        async def send_with_headers(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = message["status"]
                headers = MutableHeaders(scope=message)
                headers[REQUEST_ID_HEADER] = request_id
                for name, value in SECURITY_HEADERS.items():
                    if not (is_docs and name == "content-security-policy"):
                        headers.setdefault(name, value)
                if self.hsts:
                    headers.setdefault("strict-transport-security", HSTS_VALUE)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            access_logger.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            request_id_var.reset(token)


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER.encode():
            candidate = bytes(value).decode("latin-1")
            if _SAFE_REQUEST_ID.fullmatch(candidate):
                return candidate
            return None
    return None
