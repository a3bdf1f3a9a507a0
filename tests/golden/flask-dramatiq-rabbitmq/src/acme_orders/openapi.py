"""The OpenAPI schema and the interactive docs, where every framework of the
service serves them: /openapi.json, /docs (Swagger UI) and /redoc.

The schema is APIFlask's, built from the views' pydantic models (the same
models, and so the same rules, as the other frameworks publish), with every
error an operation can answer documented with the shared error body
(http_errors.document_errors) in place of APIFlask's own error bodies.
"""

from typing import Any

from apiflask import APIFlask
from apiflask.ui_templates import ui_templates
from flask import current_app, render_template_string

from acme_orders.http_errors import document_errors

SPEC_PATH = "/openapi.json"
DOCS_PATH = "/docs"
REDOC_PATH = "/redoc"
# The pages that load scripts and styles (no Content-Security-Policy).
DOCS_PATHS = (DOCS_PATH, REDOC_PATH)
CONFIG = {
    # Nothing the other frameworks' schemas do not have: no servers list and
    # no 404 for every operation with a path parameter (views document
    # their own).
    "AUTO_SERVERS": False,
    "AUTO_404_RESPONSE": False,
}
# APIFlask's error bodies, which the shared one replaces.
_APIFLASK_ERROR_SCHEMAS = ("HTTPError", "ValidationError")


def documented(spec: dict[Any, Any] | str) -> dict[Any, Any] | str:
    if isinstance(spec, str):  # a YAML schema (SPEC_FORMAT): served as built
        return spec
    components = spec.setdefault("components", {}).setdefault("schemas", {})
    for name in _APIFLASK_ERROR_SCHEMAS:
        components.pop(name, None)
    for path in spec.get("paths", {}).values():
        for operation in path.values():
            for status, response in operation.get("responses", {}).items():
                if status.startswith(("4", "5")):
                    response.pop("content", None)
            if "requestBody" in operation:
                # Every body the service reads is required, as the other
                # frameworks' schemas say.
                operation["requestBody"]["required"] = True
            if operation.get("operationId") == "ready":
                # Not ready answers the readiness body, with 503.
                operation["responses"]["503"]["content"] = {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/Readiness"}
                    }
                }
    return document_errors(spec)


def redoc() -> str:
    return render_template_string(
        ui_templates["redoc"],
        title=current_app.title,  # type: ignore[attr-defined]
        version=current_app.version,  # type: ignore[attr-defined]
    )


def install(app: APIFlask) -> None:
    app.spec_processor(documented)
    app.add_url_rule(REDOC_PATH, view_func=app.doc(hide=True)(redoc))
