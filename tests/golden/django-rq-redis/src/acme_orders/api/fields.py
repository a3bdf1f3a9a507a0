"""DRF fields and serializers that validate as the FastAPI service's pydantic
models do, so a 422 answer is the same list of {type, loc, msg} errors.

Each error is an ErrorDetail whose ``code`` is pydantic's error type and
whose text is pydantic's message; errors.py turns the serializer's nested
errors into the flat list, the nesting becoming the ``loc``.
"""

import re
from collections.abc import Mapping
from typing import Any

from django.core.validators import RegexValidator
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.fields import empty
from rest_framework.settings import api_settings

# DRF's own codes for a value that is absent or null, as pydantic names them.
CODE_TYPES = {"required": "missing", "null": "string_type"}
FIELD_REQUIRED = "Field required"
NOT_A_STRING = "Input should be a valid string"


def error(kind: str, message: str) -> ErrorDetail:
    return ErrorDetail(message, code=kind)


def _characters(count: int) -> str:
    return f"{count} character{'' if count == 1 else 's'}"


def search_regex(pattern: str) -> re.Pattern[str]:
    """``pattern`` as pydantic (Rust regex) applies it: searched, and a final
    ``$`` matches only at the very end (Python's also matches before "\\n")."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def value_as_given(
    field: serializers.Field[Any, Any, Any, Any], data: Mapping[str, Any]
) -> Any:
    """A field's value as sent: "" is a value, not an absence (DRF's HTML-form
    rules would turn "limit=" into the default)."""
    return data.get(field.field_name or "", empty)


class StrictCharField(serializers.CharField):
    """A JSON string only (no number coerced), checked for length, then pattern."""

    default_error_messages = {  # noqa: RUF012  (DRF's class attribute)
        "required": FIELD_REQUIRED,
        "null": NOT_A_STRING,
    }

    def __init__(self, *, pattern: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)
        # Blank strings are judged by the length checks below, not refused as
        # blank first (run_validation skips DRF's blank check).
        kwargs["allow_blank"] = False
        super().__init__(**kwargs)
        self.pattern = pattern
        self.regex = search_regex(pattern) if pattern else None
        if pattern:
            # For the schema only: run_validation below does the checking.
            self.validators.append(RegexValidator(pattern))

    def get_value(self, dictionary: Mapping[str, Any]) -> Any:
        return value_as_given(self, dictionary)

    def run_validation(self, data: Any = empty) -> Any:
        is_empty, data = self.validate_empty_values(data)
        if is_empty:
            return data
        return self.to_internal_value(data)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            raise ValidationError([error("string_type", NOT_A_STRING)])
        if self.min_length is not None and len(data) < self.min_length:
            message = f"String should have at least {_characters(self.min_length)}"
            raise ValidationError([error("string_too_short", message)])
        if self.max_length is not None and len(data) > self.max_length:
            message = f"String should have at most {_characters(self.max_length)}"
            raise ValidationError([error("string_too_long", message)])
        if self.regex is not None and not self.regex.search(data):
            message = f"String should match pattern '{self.pattern}'"
            raise ValidationError([error("string_pattern_mismatch", message)])
        return data


class StringOrOmittedField(StrictCharField):
    """pydantic's ``str | None`` union for a field that may be left out but
    whose null the serializer refuses itself: a bad value reports the error
    of each member of the union, under its name."""

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        # null is judged (and refused) by to_internal_value, like any value,
        # so the schema does not offer it.
        if data is None:
            return False, data
        return super().validate_empty_values(data)

    def to_internal_value(self, data: Any) -> str:
        try:
            return super().to_internal_value(data)
        except ValidationError as exc:
            raise ValidationError(
                {
                    "constrained-str": exc.detail,
                    "none": [error("none_required", "Input should be None")],
                }
            ) from None


_INTEGER = re.compile(r"[+-]?[0-9](?:_?[0-9])*(?:\.0+)?")


class StrictIntegerField(serializers.IntegerField):
    """An integer as pydantic reads one from a query string or a path."""

    default_error_messages = {"required": FIELD_REQUIRED}  # noqa: RUF012  (DRF's)

    def get_value(self, dictionary: Mapping[str, Any]) -> Any:
        return value_as_given(self, dictionary)

    def run_validation(self, data: Any = empty) -> Any:
        is_empty, data = self.validate_empty_values(data)
        if is_empty:
            return data
        return self.to_internal_value(data)

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool):
            value = None
        elif isinstance(data, int):
            value = data
        elif isinstance(data, str) and _INTEGER.fullmatch(data.strip()):
            value = int(data.strip().split(".")[0])
        else:
            value = None
        if value is None:
            message = (
                "Input should be a valid integer, unable to parse string as an integer"
            )
            raise ValidationError([error("int_parsing", message)])
        if self.min_value is not None and value < self.min_value:
            message = f"Input should be greater than or equal to {self.min_value}"
            raise ValidationError([error("greater_than_equal", message)])
        if self.max_value is not None and value > self.max_value:
            message = f"Input should be less than or equal to {self.max_value}"
            raise ValidationError([error("less_than_equal", message)])
        return value


class FormCharField(StrictCharField):
    """A form field: an empty value counts as absent, as FastAPI has it."""

    def get_value(self, dictionary: Mapping[str, Any]) -> Any:
        value = value_as_given(self, dictionary)
        return empty if value == "" else value


class StrictSerializer(serializers.Serializer[Any]):
    """A JSON object with exactly these fields (pydantic's extra="forbid")."""

    forbid_extra = True

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        # JSON null is a body that is not an object, not a missing one.
        if data is None:
            return False, data
        return super().validate_empty_values(data)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, Mapping):
            message = (
                "Input should be a valid dictionary or object to extract fields from"
            )
            raise ValidationError(
                {
                    api_settings.NON_FIELD_ERRORS_KEY: [
                        error("model_attributes_type", message)
                    ]
                }
            )
        errors: dict[str, Any] = {}
        value: Any = None
        try:
            value = super().to_internal_value(data)
        except ValidationError as exc:
            if isinstance(exc.detail, dict):
                errors.update(exc.detail)
        if self.forbid_extra:
            for key in data:
                if key not in self.fields:
                    errors[key] = [
                        error("extra_forbidden", "Extra inputs are not permitted")
                    ]
        if errors:
            raise ValidationError(errors)
        return value
