"""Request id, security headers, access logs, body size, CORS and trailing
slashes, as Flask request hooks, in the FastAPI service's order.

The hooks before a request run first to last, and one that answers ends
the request there (a 413, a CORS preflight, a redirect); the hooks after it
run on every answer, errors included, so each carries the request id and
the security headers.
"""

import io
import logging
import os
import re
import time

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from acme_orders.cors import CorsPolicy, is_preflight
from acme_orders.errors import error_response
from acme_orders.http_errors import too_large_detail
from acme_orders.http_headers import (
    CONTENT_SECURITY_POLICY,
    SECURITY_HEADERS,
    STRICT_TRANSPORT_SECURITY,
)
from acme_orders.logs import request_id_var
from acme_orders.openapi import DOCS_PATHS
from acme_orders.settings import Environment, Settings

access_logger = logging.getLogger("acme_orders.access")

_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestHooks:
    def __init__(self, settings: Settings) -> None:
        production = settings.environment is Environment.PRODUCTION
        extra = STRICT_TRANSPORT_SECURITY if production else {}
        self.docs_headers = {**SECURITY_HEADERS, **extra}
        self.api_headers = {**self.docs_headers, **CONTENT_SECURITY_POLICY}
        self.max_bytes = settings.max_request_body_bytes
        self.cors = CorsPolicy(settings.cors_origins)

    def identify(self) -> None:
        incoming = request.headers.get("X-Request-ID", "")
        safe = _SAFE_REQUEST_ID.fullmatch(incoming)
        g.request_id = incoming if safe else os.urandom(16).hex()
        g.request_id_token = request_id_var.set(g.request_id)
        g.started = time.perf_counter()

    def limit_body(self) -> Response | None:
        """Refuse a declared Content-Length over the limit before reading a
        byte, and a body sent without one (chunked) once it passes the limit.

        Werkzeug would cut the second short at the limit (MAX_CONTENT_LENGTH)
        without a word, and the view would see a truncated body: it is read
        here, up to one byte past the limit, and handed on whole.
        """
        if (request.content_length or 0) > self.max_bytes:
            return self.too_large()
        if request.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = request.environ["wsgi.input"].read(self.max_bytes + 1)
            if len(body) > self.max_bytes:
                return self.too_large()
            request.environ["wsgi.input"] = io.BytesIO(body)
            request.environ["CONTENT_LENGTH"] = str(len(body))
        return None

    def too_large(self) -> Response:
        # The rest of the body stays unread: the connection cannot be reused.
        detail = too_large_detail(self.max_bytes)
        return error_response(413, detail, {"Connection": "close"})

    def answer_preflight(self) -> Response | None:
        origin = request.headers.get("Origin")
        method = request.headers.get("Access-Control-Request-Method")
        if not is_preflight(request.method, origin, method):
            return None
        answer = self.cors.preflight(
            origin or "",
            method or "",
            request.headers.get("Access-Control-Request-Headers"),
            "Access-Control-Request-Private-Network" in request.headers,
        )
        return Response(
            answer.text,
            status=answer.status,
            headers=answer.headers,
            content_type="text/plain; charset=utf-8",
        )

    def redirect_trailing_slash(self) -> Response | None:
        """A path that is a route with a slash too many: 307 to the route,
        as Starlette and Django answer it."""
        path = request.path
        if not isinstance(request.routing_exception, NotFound):
            return None
        if path == "/" or not path.endswith("/"):
            return None
        routes = current_app.url_map.bind("")
        try:
            routes.match(path.rstrip("/"), method=request.method)
        except MethodNotAllowed:
            pass  # the route exists; its answer is its own
        except (NotFound, RequestRedirect):
            return None
        query = request.query_string.decode("latin-1")
        target = path.rstrip("/") + (f"?{query}" if query else "")
        return Response(status=307, headers={"Location": target})

    def finish(self, response: Response) -> Response:
        is_docs = request.path.startswith(DOCS_PATHS)
        headers = self.docs_headers if is_docs else self.api_headers
        response.headers["X-Request-ID"] = g.request_id
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        vary = response.headers.get("Vary")
        origin = request.headers.get("Origin")
        if not is_preflight(
            request.method, origin, request.headers.get("Access-Control-Request-Method")
        ):
            response.headers.update(self.cors.answer_headers(origin, vary))
        access_logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - g.started) * 1000, 2),
            },
        )
        return response


def forget_request_id(_error: BaseException | None) -> None:
    token = g.pop("request_id_token", None)
    if token is not None:
        request_id_var.reset(token)


def install_request_hooks(app: Flask, settings: Settings) -> None:
    hooks = RequestHooks(settings)
    for before in (
        hooks.identify,
        hooks.limit_body,
        hooks.answer_preflight,
        hooks.redirect_trailing_slash,
    ):
        app.before_request(before)
    app.after_request(hooks.finish)
    app.teardown_request(forget_request_id)
