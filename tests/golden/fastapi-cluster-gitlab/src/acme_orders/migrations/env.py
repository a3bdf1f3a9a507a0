"""Alembic runtime: migrations run over the service's own engine setup."""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from acme_orders.db import create_engine, driver_url
from acme_orders.models import Base
from acme_orders.settings import Settings, get_settings

config = context.config
target_metadata = Base.metadata


def database_url() -> str:
    url: str | None = config.attributes.get("database_url")
    return url or get_settings().database_url


def run_offline() -> None:
    """Print the SQL instead of running it (``alembic upgrade --sql``)."""
    context.configure(
        url=driver_url(database_url()),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=False,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite alters tables by copying them; batch mode does that for us.
        render_as_batch=False,
    )
    with context.begin_transaction():
        context.run_migrations()


def service_engine() -> AsyncEngine:
    # The service's own engine factory: same driver options, and for SQLite
    # the database folder is created before the first connection. Only the
    # URL matters here: the other settings keep their defaults unchecked (the
    # command that runs the migrations has checked the real ones).
    return create_engine(Settings.model_construct(database_url=database_url()))


async def run_online() -> None:
    engine = service_engine()
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_on)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    asyncio.run(run_online())
