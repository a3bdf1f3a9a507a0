"""What every ASGI framework's service wraps its app in, as plain ASGI.

RequestContextMiddleware (outermost): the request id, the security headers,
one access-log line per request, and JSON answers for what escapes the
framework: 503 for a dependency outage, 500 for anything else.
BodyLimitMiddleware: the request body size limit, before the body is read.

Plain ASGI keeps the per-request cost low (no extra task, no body buffering,
headers appended as prepared bytes) and the behaviour the same whatever the
framework inside.
"""

import json
import logging
import os
import re
import time
import traceback
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from acme_orders import http_headers
from acme_orders.http_errors import OUTAGE_RETRY_AFTER_SECONDS, too_large_detail
from acme_orders.logs import request_id_var
from acme_orders.outage_log import report_outage
from acme_orders.resources import outage_of

# The ASGI interface's types (as Starlette and Litestar spell them).
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

access_logger = logging.getLogger("acme_orders.access")
error_logger = logging.getLogger("acme_orders.errors")

REQUEST_ID_HEADER = b"x-request-id"
# A caller-supplied id is reused only if it is short and harmless to log.
_SAFE_REQUEST_ID = re.compile(rb"[A-Za-z0-9._-]{1,64}")


def raw_headers(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    """``headers`` as ASGI writes them (see http_headers.py for which and why)."""
    return [(name.encode(), value.encode()) for name, value in headers.items()]


SECURITY_HEADERS = raw_headers(http_headers.SECURITY_HEADERS)
CONTENT_SECURITY_POLICY = raw_headers(http_headers.CONTENT_SECURITY_POLICY)
HSTS = raw_headers(http_headers.STRICT_TRANSPORT_SECURITY)
# Swagger UI and ReDoc load their scripts: no Content-Security-Policy there.
_DOCS_PATHS = ("/docs", "/redoc")


class RequestContextMiddleware:
    def __init__(
        self, app: ASGIApp, *, hsts: bool = False, debug: bool = False
    ) -> None:
        self.app = app
        # DEBUG (development only; refused elsewhere) puts tracebacks in 500s.
        self.debug = debug
        extra = HSTS if hsts else []
        self.api_headers = [*SECURITY_HEADERS, *CONTENT_SECURITY_POLICY, *extra]
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
        except Exception as error:
            # Caught here, inside the request's context, so the log line and
            # the JSON answer carry the request id and the usual headers.
            dependency = outage_of(error)
            if dependency is not None:
                # An outage is not a bug: one short line (see report_outage)
                # and a 503 the client may retry, never a traceback per request.
                report_outage(dependency, error)
                if response_started:
                    return
                await send_json(
                    send_with_headers,
                    503,
                    {
                        "detail": f"The {dependency} is unavailable; try again shortly",
                        "request_id": request_id,
                    },
                    [(b"retry-after", str(OUTAGE_RETRY_AFTER_SECONDS).encode())],
                )
                return
            # The traceback goes to the log, never to the client.
            error_logger.exception("unhandled error", extra={"path": scope["path"]})
            if response_started:
                raise
            body: dict[str, object] = {
                "detail": "Internal Server Error",
                "request_id": request_id,
            }
            if self.debug:
                body["traceback"] = traceback.format_exc()
            await send_json(send_with_headers, 500, body)
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


async def send_json(
    send: Send,
    status: int,
    content: dict[str, object],
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    """Answer with a JSON body, below the framework (which may be the trouble)."""
    body = json.dumps(content).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or ()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with 413, before they are read.

    A declared Content-Length over the limit is refused without reading a
    byte; a body sent without one (chunked) is counted as it arrives and
    refused once it passes the limit. Either way the connection is closed,
    so the rest of the body is never read.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.refusal = {"detail": too_large_detail(max_bytes)}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _content_length(scope)
        if length is not None and length > self.max_bytes:
            await self._refuse(send)
        elif length is None and scope["method"] not in _BODILESS_METHODS:
            await self._call_counting(scope, receive, send)
        else:
            # The server stops a body at its declared length.
            await self.app(scope, receive, send)

    async def _call_counting(self, scope: Scope, receive: Receive, send: Send) -> None:
        received = 0
        too_large = False
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_large = True
                    # The app sees a client that went away; its answer to
                    # that is replaced by the 413 below.
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if too_large:
                return
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not too_large:
                raise
        if too_large and not response_started:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        await send_json(
            send,
            413,
            {**self.refusal, "request_id": request_id_var.get()},
            [(b"connection", b"close")],
        )


_BODILESS_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            # The server refuses a malformed length before the app runs.
            return int(value)
    return None


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER:
            if _SAFE_REQUEST_ID.fullmatch(value):
                return bytes(value).decode("ascii")
            return None
    return None
