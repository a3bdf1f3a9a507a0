"""The migrations build exactly the schema the models describe."""

import asyncio
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from acme_orders.db import async_url
from acme_orders.migrations import alembic_config
from acme_orders.models import Base

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"


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
    # `uv run alembic revision --autogenerate --head 0001@head -m "..."`.
    assert asyncio.run(_compare(database_url)) == []


def test_alembic_ini_finds_the_migrations_that_migrate_runs() -> None:
    # `uv run alembic ...` reads alembic.ini, `migrate` builds its own config:
    # both must see the same histories, or a new revision would miss one.
    from_ini = ScriptDirectory.from_config(Config(ALEMBIC_INI))
    # The URL is never used: only the scripts are read.
    from_package = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert set(from_ini.get_heads()) == set(from_package.get_heads())
