"""The error body of the HTTP contract, the same for every framework: how it
is documented in the OpenAPI schema, and how long a 503 for an outage asks
the client to wait (Retry-After)."""

from typing import Any

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

# Seconds a client is asked to wait (Retry-After) after a 503 for an outage.
OUTAGE_RETRY_AFTER_SECONDS = 5
