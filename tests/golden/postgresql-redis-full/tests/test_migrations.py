"""The migrations build exactly the schema the models describe."""

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from acme_orders.db import async_url
from acme_orders.models import Base


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection)
    return list(compare_metadata(context, Base.metadata))


async def _compare(database_url: str) -> list[object]:
    engine = create_async_engine(async_url(database_url))
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_differences)
    finally:
        await engine.dispose()


def test_models_match_migrations(database_url: str) -> None:
    # A model change without a migration shows up here; generate one with
    # `uv run alembic revision --autogenerate -m "..."`.
    assert asyncio.run(_compare(database_url)) == []
