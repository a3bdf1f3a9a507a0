"""The error body of the HTTP contract, the same for every framework: how it
is documented in the OpenAPI schema, what a validation error may say, how
long a 503 for an outage asks the client to wait (Retry-After), and the 408
a server sends a client too slow to send its request."""

import json
import logging
import os
from typing import Any

logger = logging.getLogger(__name__)

ERROR_BODY_SCHEMA: dict[str, Any] = {
    "title": "ErrorBody",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "object"}},
            ]
        },
        "request_id": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    },
}
ERROR_DESCRIPTIONS = {
    "401": "Missing, invalid or expired token",
    "413": "Request body too large",
    "422": "Invalid request",
    "503": "A dependency is unavailable; retry after Retry-After seconds",
}

# Parts of a validation error that repeat the client's input: a rejected
# password, for one, must not travel back in the response or into logs.
_ECHOED = frozenset({"input", "ctx", "url"})


# The validation error of a body that cannot be read as sent (malformed
# JSON, bad UTF-8), in FastAPI's words, for frameworks that answer it alike.
UNREADABLE_BODY_ERROR: dict[str, Any] = {
    "type": "body_unreadable",
    "loc": ["body"],
    "msg": "There was an error parsing the body",
}


def validation_details(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """pydantic's ``errors()`` as a 422's detail: loc, msg and type of each."""
    return [
        {key: value for key, value in error.items() if key not in _ECHOED}
        for error in errors
    ]


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Document in an OpenAPI ``schema`` every error each operation can answer,
    all with the shared body, once: a schema already documented is kept."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    if "ErrorBody" not in components:
        components["ErrorBody"] = ERROR_BODY_SCHEMA
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                if isinstance(operation, dict) and "responses" in operation:
                    _document_operation_errors(operation)
    return schema


def _document_operation_errors(operation: dict[str, Any]) -> None:
    responses = operation["responses"]
    if operation.get("security"):
        responses.setdefault("401", {})
    if "requestBody" in operation:
        responses.setdefault("413", {})
    if "requestBody" in operation or operation.get("parameters"):
        responses.setdefault("422", {})
    # Only the liveness probe never touches a dependency.
    if operation.get("operationId") != "live":
        responses.setdefault("503", {})
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    for status, response in responses.items():
        if not status.startswith(("4", "5")):
            continue
        response.setdefault("description", ERROR_DESCRIPTIONS.get(status, "Error"))
        # A body a route documents itself (readiness) stays; a framework's
        # own validation body gives way to the shared one the service sends.
        if "content" not in response or status == "422":
            response["content"] = body


# Seconds a client is asked to wait (Retry-After) after a 503 for an outage.
OUTAGE_RETRY_AFTER_SECONDS = 5
# The detail of a 408: the request's headers or body came too slowly.
REQUEST_TIMEOUT_DETAIL = "Request sent too slow"


class RequestSentTooSlowlyError(TimeoutError):
    """Reading the request's body passed the server's deadline (a 408)."""


def too_large_detail(max_bytes: int) -> str:
    """The detail of a 413 for a body over the limit."""
    return f"Request body over {max_bytes} bytes"


def request_timeout_response() -> bytes:
    """A 408 like every other error: a JSON body and header with a request id.

    The request never reached the app (and its access log), so the id is
    logged here, for a client that reports it.
    """
    request_id = os.urandom(16).hex()
    body = json.dumps({"detail": REQUEST_TIMEOUT_DETAIL, "request_id": request_id})
    logger.info(
        "request sent too slow", extra={"request_id": request_id, "status": 408}
    )
    return (
        b"HTTP/1.1 408 Request Timeout\r\n"
        b"content-type: application/json\r\n"
        b"content-length: %d\r\n"
        b"x-request-id: %s\r\n"
        b"connection: close\r\n\r\n%s"
    ) % (len(body), request_id.encode(), body.encode())
