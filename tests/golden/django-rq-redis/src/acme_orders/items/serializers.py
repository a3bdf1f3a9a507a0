"""Request and response bodies of the items API (the FastAPI service's schemas)."""

from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from acme_orders.api.fields import (
    StrictCharField,
    StrictIntegerField,
    StrictSerializer,
    StringOrOmittedField,
    error,
)
from acme_orders.items.models import MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, Item

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
# Ids are 32-bit in every supported database; a larger one is a client error.
MAX_ID = 2**31 - 1
# NUL is refused everywhere (PostgreSQL cannot store it); a name needs a
# character that is not blank.
TEXT_PATTERN = r"^[^\x00]*$"
NAME_PATTERN = r"^[^\x00]*[^\x00\t\n\v\f\r ][^\x00]*$"


def name_field(**kwargs: Any) -> Any:
    return kwargs.pop("kind", StrictCharField)(
        min_length=1, max_length=MAX_NAME_LENGTH, pattern=NAME_PATTERN, **kwargs
    )


def description_field() -> StrictCharField:
    return StrictCharField(
        max_length=MAX_DESCRIPTION_LENGTH,
        pattern=TEXT_PATTERN,
        required=False,
        allow_null=True,
        default=None,
    )


class ItemCreateSerializer(StrictSerializer):
    name = name_field()
    description = description_field()


class ItemUpdateSerializer(StrictSerializer):
    """Partial update: only the fields sent change. A name may be left out
    but not set to null."""

    name = name_field(kind=StringOrOmittedField, required=False)
    description = StrictCharField(
        max_length=MAX_DESCRIPTION_LENGTH,
        pattern=TEXT_PATTERN,
        required=False,
        allow_null=True,
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "name" in attrs and attrs["name"] is None:
            message = "Value error, name may be left out but not set to null"
            raise ValidationError([error("value_error", message)])
        return attrs


class ItemReadSerializer(serializers.ModelSerializer[Item]):
    class Meta:
        model = Item
        fields = (
            "id",
            "name",
            "description",
            "created_at",
            "updated_at",
            # When a worker processed the item (items/tasks.py); null until then.
            "processed_at",
        )


class ItemPageSerializer(serializers.Serializer[dict[str, Any]]):
    items = ItemReadSerializer(many=True)
    total = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()


class PageQuerySerializer(StrictSerializer):
    forbid_extra = False

    limit = StrictIntegerField(
        required=False, default=DEFAULT_PAGE_SIZE, min_value=1, max_value=MAX_PAGE_SIZE
    )
    offset = StrictIntegerField(
        required=False, default=0, min_value=0, max_value=MAX_ID
    )


class ItemPathSerializer(StrictSerializer):
    forbid_extra = False

    item_id = StrictIntegerField(min_value=1, max_value=MAX_ID)
