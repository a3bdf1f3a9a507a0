"""The OpenAPI schema as every framework's service documents it (the HTTP
contract): fields with exactly the constraints the API checks, request
bodies that refuse unknown fields, the bearer scheme under the common name,
and every error status an operation can answer with the shared error body.
"""

from typing import Any

from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.openapi import AutoSchema

from acme_orders.accounts.authentication import BearerTokenAuthentication
from acme_orders.api.fields import StrictCharField, StrictSerializer
from acme_orders.http_errors import ERROR_BODY_SCHEMA, ERROR_DESCRIPTIONS


class BearerTokenScheme(  # type: ignore[no-untyped-call]
    OpenApiAuthenticationExtension
):
    target_class = BearerTokenAuthentication
    name = "OAuth2PasswordBearer"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "oauth2",
            "flows": {"password": {"scopes": {}, "tokenUrl": "/auth/login"}},
        }


class StrictCharFieldSchema(  # type: ignore[no-untyped-call]
    OpenApiSerializerFieldExtension
):
    """A string with the length and pattern the field checks (whether null
    is a value too follows the field's allow_null)."""

    target_class = StrictCharField
    match_subclasses = True

    def map_serializer_field(self, auto_schema: AutoSchema, direction: str) -> Any:
        field = self.target
        schema: dict[str, Any] = {"type": "string"}
        if field.min_length is not None:
            schema["minLength"] = field.min_length
        if field.max_length is not None:
            schema["maxLength"] = field.max_length
        if field.pattern:
            schema["pattern"] = field.pattern
        return schema


class StrictSerializerSchema(  # type: ignore[no-untyped-call]
    OpenApiSerializerExtension
):
    """A request body with exactly the serializer's fields."""

    target_class = StrictSerializer
    match_subclasses = True

    def map_serializer(self, auto_schema: AutoSchema, direction: str) -> Any:
        build = auto_schema._map_basic_serializer
        schema: dict[str, Any] = build(  # type: ignore[no-untyped-call]
            self.target, direction
        )
        if self.target.forbid_extra:
            schema["additionalProperties"] = False
        return schema


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
            if "requestBody" in operation:
                # Every body is required: the views answer 422 without one.
                operation["requestBody"]["required"] = True
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
