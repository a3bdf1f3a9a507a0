"""Error answers: one JSON body for every error, ``{"detail": ...,
"request_id": ...}``.

APIFlask turns every HTTP error (Flask's own 404s and 405s, ``abort`` in a
view, a request that fails validation) into an ``HTTPError`` and lets the
app write the answer (``answer_http_error``); validation errors say what
was wrong without echoing what was sent. Any other exception is a
dependency's outage (503) or a bug (500), answered by ``answer_exception``.
"""

import logging
import traceback
from collections.abc import Mapping
from typing import Any

from apiflask import APIFlask
from apiflask.exceptions import HTTPError
from flask import Response, current_app, jsonify, request
from pydantic import ValidationError
from werkzeug.exceptions import ClientDisconnected

from acme_orders.http_errors import (
    OUTAGE_RETRY_AFTER_SECONDS,
    REQUEST_TIMEOUT_DETAIL,
    UNREADABLE_BODY_ERROR,
    RequestSentTooSlowlyError,
    too_large_detail,
    validation_details,
)
from acme_orders.logs import request_id_var
from acme_orders.outage_log import report_outage
from acme_orders.resources import outage_of

error_logger = logging.getLogger("acme_orders.errors")

# Where APIFlask found what failed validation, as a validation error's loc
# names it (FastAPI's spelling: the JSON and form bodies are the "body").
LOCATIONS = {"json": "body", "form": "body", "query": "query", "path": "path"}


def error_response(
    status: int,
    detail: object,
    headers: Mapping[str, Any] | None = None,
    extra_body: dict[str, Any] | None = None,
) -> Response:
    body = {"detail": detail, "request_id": request_id_var.get(), **(extra_body or {})}
    response = jsonify(body)
    response.status_code = status
    response.headers.update(headers or {})
    return response


def answer_http_error(error: HTTPError) -> Response:
    headers = dict(error.headers or {})
    if error.status_code == 422 and isinstance(error.__cause__, ValidationError):
        location = LOCATIONS.get(next(iter(error.detail), ""), "body")
        errors = [
            {**found, "loc": [location, *found["loc"]]}
            for found in error.__cause__.errors()
        ]
        return error_response(422, validation_details(errors))
    if error.status_code == 400:
        # The only 400s Flask answers are for a body it cannot read
        # (malformed JSON, bad UTF-8): the validation error they are.
        return error_response(422, [UNREADABLE_BODY_ERROR])
    if error.status_code == 413:
        # The rest of the body stays unread: the connection cannot be reused.
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        headers["Connection"] = "close"
        return error_response(413, too_large_detail(limit), headers)
    return error_response(error.status_code, error.message, headers)


def answer_interrupted_body(error: ClientDisconnected) -> Response:
    """Werkzeug's answer when reading the body failed: a 408 when the body
    came too slowly (server.py's deadline), else the body is unreadable."""
    if isinstance(error.__context__, RequestSentTooSlowlyError):
        return error_response(408, REQUEST_TIMEOUT_DETAIL, {"Connection": "close"})
    return error_response(422, [UNREADABLE_BODY_ERROR])


def answer_exception(error: Exception) -> Response:
    """A view's unexpected error: 408 for a body sent too slowly, 503 for an
    outage, else a JSON 500."""
    if isinstance(error, RequestSentTooSlowlyError):
        # The deadline of server.py passed while the body was read.
        return error_response(408, REQUEST_TIMEOUT_DETAIL, {"Connection": "close"})
    dependency = outage_of(error)
    if dependency is not None:
        # An outage is not a bug: one short line (see report_outage) rather
        # than a traceback per request.
        report_outage(dependency, error)
        return error_response(
            503,
            f"The {dependency} is unavailable; try again shortly",
            {"Retry-After": str(OUTAGE_RETRY_AFTER_SECONDS)},
        )
    error_logger.exception("unhandled error", extra={"path": request.path})
    # DEBUG (development only) puts the traceback in the answer.
    extra = {"traceback": traceback.format_exc()} if current_app.debug else {}
    return error_response(500, "Internal Server Error", extra_body=extra)


def install_error_handlers(app: APIFlask) -> None:
    app.error_processor(answer_http_error)
    app.register_error_handler(ClientDisconnected, answer_interrupted_body)
    app.register_error_handler(Exception, answer_exception)
