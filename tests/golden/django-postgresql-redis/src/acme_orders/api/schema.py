"""OpenAPI as the FastAPI service documents itself: the bearer scheme under
FastAPI's name, and every error status an operation can answer documented
with the shared error body (as errors.py does there)."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from acme_orders.accounts.authentication import BearerTokenAuthentication

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


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = BearerTokenAuthentication
    name = "OAuth2PasswordBearer"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "oauth2",
            "flows": {"password": {"scopes": {}, "tokenUrl": "/auth/login"}},
        }


def document_errors(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorBody"] = ERROR_BODY_SCHEMA
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            # drf-spectacular marks open operations with an empty requirement
            # ({}); FastAPI leaves them without ``security``.
            security = [need for need in operation.pop("security", []) if need]
            if security:
                operation["security"] = security
            responses = operation.setdefault("responses", {})
            if operation.get("security"):
                responses.setdefault("401", {})
            if "requestBody" in operation:
                responses.setdefault("413", {})
            if "requestBody" in operation or operation.get("parameters"):
                responses.setdefault("422", {})
            if operation.get("operationId") != "live":
                responses.setdefault("503", {})
            for status, response in responses.items():
                if not status.startswith(("4", "5")):
                    continue
                if not response.get("description"):
                    response["description"] = ERROR_DESCRIPTIONS.get(status, "Error")
                if "content" not in response or status == "422":
                    response["content"] = body
    return result
