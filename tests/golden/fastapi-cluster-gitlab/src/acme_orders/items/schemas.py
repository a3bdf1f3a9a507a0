"""Request and response bodies of the items API."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

MAX_PAGE_SIZE = 100
# Ids are 32-bit in every supported database; a larger number in a URL is a
# client error, not a query the database should reject.
MAX_ID = 2**31 - 1


def _as_utc(value: datetime) -> datetime:
    # SQLite and MySQL hand back naive datetimes, stored in UTC by this
    # service; say so, so clients never have to guess the offset.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# Rules a client can read in the OpenAPI schema, enforced by these patterns
# alone so the service and the schema never disagree. NUL is refused for
# every database alike (PostgreSQL cannot store it in text); a name needs a
# character that is not blank.
TEXT_PATTERN = r"^[^\x00]*$"
NAME_PATTERN = r"^[^\x00]*[^\x00\t\n\v\f\r ][^\x00]*$"

UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]
Name = Annotated[str, Field(min_length=1, max_length=200, pattern=NAME_PATTERN)]
Description = Annotated[str, Field(max_length=2000, pattern=TEXT_PATTERN)]


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    description: Description | None = None


class ItemUpdate(BaseModel):
    """Partial update: only the fields sent are changed.

    A name may be left out but not set to null, so the schema offers no null
    for it (SkipJsonSchema) and the validator refuses one.
    """

    model_config = ConfigDict(extra="forbid")

    name: Name | SkipJsonSchema[None] = None
    description: Description | None = None

    @model_validator(mode="after")
    def name_is_not_null(self) -> "ItemUpdate":
        if "name" in self.model_fields_set and self.name is None:
            msg = "name may be left out but not set to null"
            raise ValueError(msg)
        return self


class ItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str | None
    created_at: UtcDatetime
    updated_at: UtcDatetime
    # When a worker processed the item (items/tasks.py); null until then.
    processed_at: UtcDatetime | None


class ItemPage(BaseModel):
    items: list[ItemRead]
    total: int
    limit: int
    offset: int
