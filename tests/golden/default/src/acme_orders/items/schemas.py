"""Request and response bodies of the items API."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

MAX_PAGE_SIZE = 100
# Ids are 32-bit in every supported database; a larger number in a URL is a
# client error, not a query the database should reject.
MAX_ID = 2**31 - 1
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _no_nul(value: str | None) -> str | None:
    # PostgreSQL cannot store NUL in text; refuse it for every database alike.
    if value is not None and "\x00" in value:
        msg = "must not contain NUL characters"
        raise ValueError(msg)
    return value


def _as_utc(value: datetime) -> datetime:
    # SQLite and MySQL hand back naive datetimes, stored in UTC by this
    # service; say so, so clients never have to guess the offset.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_no_nul)]
Description = Annotated[str | None, Field(max_length=2000), AfterValidator(_no_nul)]


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Name
    description: Description = None


class ItemUpdate(BaseModel):
    """Partial update: only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Name | None = None
    description: Description = None

    @model_validator(mode="after")
    def name_is_not_null(self) -> "ItemUpdate":
        # Leaving the name out keeps it; sending null would erase it.
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


class ItemPage(BaseModel):
    items: list[ItemRead]
    total: int
    limit: int
    offset: int
