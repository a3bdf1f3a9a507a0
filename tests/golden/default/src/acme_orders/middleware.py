"""Request id, security headers and access logs, as plain ASGI middleware.

Plain ASGI (rather than BaseHTTPMiddleware) keeps the per-request cost low:
no extra task, no body buffering, and headers appended as prepared bytes.
"""

import json
import logging
import os
import re
import time
import traceback

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from acme_orders.logs import request_id_var

access_logger = logging.getLogger("acme_orders.access")
error_logger = logging.getLogger("acme_orders.errors")

REQUEST_ID_HEADER = b"x-request-id"
# A caller-supplied id is reused only if it is short and harmless to log.
_SAFE_REQUEST_ID = re.compile(rb"[A-Za-z0-9._-]{1,64}")

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), geolocation=(), microphone=()"),
]
# API responses are data, never pages: nothing may load or frame them. The
# interactive docs are exempt, since Swagger UI and ReDoc load their scripts.
CONTENT_SECURITY_POLICY = (
    b"content-security-policy",
    b"default-src 'none'; frame-ancestors 'none'",
)
HSTS = (b"strict-transport-security", b"max-age=63072000; includeSubDomains")
_DOCS_PATHS = ("/docs", "/redoc")


class RequestContextMiddleware:
    def __init__(
        self, app: ASGIApp, *, hsts: bool = False, debug: bool = False
    ) -> None:
        self.app = app
        # DEBUG (development only; refused elsewhere) puts tracebacks in 500s.
        self.debug = debug
        extra = [HSTS] if hsts else []
        self.api_headers = [*SECURITY_HEADERS, CONTENT_SECURITY_POLICY, *extra]
        self.docs_headers = [*SECURITY_HEADERS, *extra]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        request_id = _incoming_request_id(scope) or os.urandom(16).hex()
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status_code = 500
        is_docs = scope["path"].startswith(_DOCS_PATHS)
        added = [
            (REQUEST_ID_HEADER, request_id.encode()),
            *(self.docs_headers if is_docs else self.api_headers),
        ]

        response_started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status_code, response_started
            if message["type"] == "http.response.start":
                status_code = message["status"]
                response_started = True
                message["headers"] = [*message.get("headers", ()), *added]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # Caught here, inside the request's context, so the log line and
            # the JSON answer carry the request id and the usual headers. The
            # traceback goes to the log, never to the client.
            error_logger.exception("unhandled error", extra={"path": scope["path"]})
            if response_started:
                raise
            body: dict[str, object] = {
                "detail": "Internal Server Error",
                "request_id": request_id,
            }
            if self.debug:
                body["traceback"] = traceback.format_exc()
            await _send_internal_error(send_with_headers, body)
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


async def _send_internal_error(send: Send, content: dict[str, object]) -> None:
    body = json.dumps(content).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER:
            if _SAFE_REQUEST_ID.fullmatch(value):
                return bytes(value).decode("ascii")
            return None
    return None
