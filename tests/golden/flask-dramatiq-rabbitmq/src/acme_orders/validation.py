"""How APIFlask validates request data: with the service's pydantic models,
through its pydantic adapter, made strict about JSON bodies.

APIFlask's adapter validates a JSON body of ``null`` as an empty object, so
``PATCH /items/1`` with ``null`` would succeed as a change of nothing; the
other frameworks refuse it (422), as the schema says. Here a JSON body is
validated as it was sent.

Views get their blueprints from ``api_blueprint``, which puts the strict
adapter in place first: APIFlask picks a model's adapter when a view is
declared.
"""

from typing import Any

from apiflask import APIBlueprint
from apiflask.exceptions import HTTPError
from apiflask.schema_adapters import registry
from apiflask.schema_adapters.pydantic import PydanticAdapter
from flask import Request
from pydantic import BaseModel, ValidationError


class BodiesAsSent(PydanticAdapter):
    def validate_input(
        self, request: Request, location: str, **kwargs: Any
    ) -> BaseModel:
        if location != "json":
            return super().validate_input(request, location, **kwargs)
        try:
            return self.model_class.model_validate(request.get_json(force=True))
        except ValidationError as error:
            # What APIFlask raises for its own validation errors (errors.py
            # answers them): the location, and pydantic's errors as cause.
            raise HTTPError(422, "Validation error", {location: {}}) from error


def api_blueprint(name: str, import_name: str, **options: Any) -> APIBlueprint:
    """An APIBlueprint whose views validate bodies as sent."""
    registry.register("pydantic", BodiesAsSent)
    return APIBlueprint(name, import_name, **options)
