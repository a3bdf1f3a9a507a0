"""A throwaway database for one test run."""

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy.ext.asyncio
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url

from acme_orders.db import driver_url

# The compose.yaml database, for runs with no DATABASE_URL set.
DEFAULT_SERVER_URL = "postgresql://app:app@localhost:5432/app"
CREATE_DATABASE = "CREATE DATABASE {name}"
DROP_DATABASE = "DROP DATABASE IF EXISTS {name} WITH (FORCE)"


async def _execute(server: URL, statement: str) -> None:
    engine = sqlalchemy.ext.asyncio.create_async_engine(
        driver_url(server.render_as_string(hide_password=False)),
        isolation_level="AUTOCOMMIT",
    )
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


@contextmanager
def temporary_database(server_url: str | None) -> Iterator[str]:
    """Create a uniquely named database on the server, and drop it afterwards.

    Parallel runs (several checkouts, CI jobs on one host) never share tables.
    """
    server = make_url(server_url or DEFAULT_SERVER_URL)
    name = f"{server.database or 'test'}_{uuid.uuid4().hex[:12]}"
    asyncio.run(_execute(server, CREATE_DATABASE.format(name=name)))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_execute(server, DROP_DATABASE.format(name=name)))
