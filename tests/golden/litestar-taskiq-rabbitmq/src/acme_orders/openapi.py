"""The OpenAPI schema and the interactive docs, where every framework of the
service serves them: /openapi.json, /docs (Swagger UI) and /redoc.

The schema is Litestar's, with every error an operation can answer
documented with the shared error body (http_errors.document_errors).
Litestar serves the schema itself, at OPENAPI_CONFIG's path; the docs
pages embed the same documented schema.
"""

from typing import Any

from litestar import Controller, Litestar, MediaType, Request, Response, Router, get
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import (
    JsonRenderPlugin,
    RedocRenderPlugin,
    SwaggerRenderPlugin,
)
from litestar.openapi.spec import Components
from litestar.routes import HTTPRoute
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from acme_orders.errors import error_response
from acme_orders.http_errors import document_errors


def documented(schema: dict[str, Any], app: Litestar) -> dict[str, Any]:
    """Litestar's ``schema`` of ``app``, cached by Litestar, documented once:
    its bodies as pydantic describes them, and every error status."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    if "ErrorBody" in components:
        return schema
    _describe_bodies_as_pydantic_does(schema, _body_models(app))
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            # Litestar's 400 for a bad parameter: the service answers those
            # 422, like every validation error.
            operation.get("responses", {}).pop("400", None)
    return document_errors(schema)


# operationId -> the pydantic models of its request body and its answer
BodyModels = dict[str, tuple[type[BaseModel] | None, type[BaseModel] | None]]


def _body_models(app: Litestar) -> BodyModels:
    models: BodyModels = {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            signature = handler.parsed_fn_signature
            data = signature.parameters.get("data")
            request = data.annotation if data else None
            response = signature.return_type.annotation
            if isinstance(handler.operation_id, str):
                models[handler.operation_id] = (_model(request), _model(response))
    return models


def _model(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _describe_bodies_as_pydantic_does(
    schema: dict[str, Any], bodies: BodyModels
) -> None:
    """Put pydantic's own JSON schema of each body in place of Litestar's.

    Litestar rebuilds the schema from the fields and leaves out some of the
    rules the models enforce (patterns, extra fields forbidden, a null the
    schema must not offer); pydantic's is what validation does, and what
    the other frameworks publish.
    """
    wanted: set[tuple[type[BaseModel], JsonSchemaMode]] = set()
    for request, response in bodies.values():
        if request:
            wanted.add((request, "validation"))
        if response:
            wanted.add((response, "serialization"))
    if not wanted:
        return
    refs, definitions = models_json_schema(
        sorted(wanted, key=lambda pair: (pair[0].__name__, pair[1])),
        ref_template="#/components/schemas/{model}",
    )
    schema["components"]["schemas"].update(definitions.get("$defs", {}))
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            request, response = bodies.get(operation.get("operationId"), (None, None))
            if request:
                for content in operation["requestBody"]["content"].values():
                    content["schema"] = refs[(request, "validation")]
            if response:
                for status, answer in operation.get("responses", {}).items():
                    if status.startswith("2"):
                        for content in answer.get("content", {}).values():
                            content["schema"] = refs[(response, "serialization")]


class DocumentedJsonRenderPlugin(JsonRenderPlugin):
    def render(
        self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]
    ) -> bytes:
        return super().render(request, documented(openapi_schema, request.app))


def openapi_config(
    title: str, description: str, components: Components | None = None
) -> OpenAPIConfig:
    return OpenAPIConfig(
        title=title,
        version="0.1.0",
        description=description,
        components=components or Components(),
        # Litestar's schema router, at /openapi.json: the schema at its root
        # (and, as Litestar also serves it, at /openapi.json/openapi.json).
        openapi_router=Router(
            "/openapi.json",
            route_handlers=[],
            include_in_schema=False,
            after_request=_json_not_found,
        ),
        render_plugins=[
            # application/json, as the other frameworks answer it
            DocumentedJsonRenderPlugin(
                path=["/", "/openapi.json"], media_type=MediaType.JSON
            )
        ],
    )


async def _json_not_found(response: Response[Any]) -> Response[Any]:
    # Litestar answers other paths below the schema with an HTML page.
    if response.status_code == 404:
        return error_response(404, "Not Found")
    return response


_swagger = SwaggerRenderPlugin(path="/docs")
_redoc = RedocRenderPlugin(path="/redoc")


def _schema(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return documented(request.app.openapi_schema.to_schema(), request.app)


class DocsController(Controller):
    include_in_schema = False

    @get("/docs", media_type=MediaType.HTML, sync_to_thread=False)
    def swagger(self, request: Request[Any, Any, Any]) -> bytes:
        return _swagger.render(request, _schema(request))

    @get("/redoc", media_type=MediaType.HTML, sync_to_thread=False)
    def redoc(self, request: Request[Any, Any, Any]) -> bytes:
        return _redoc.render(request, _schema(request))
