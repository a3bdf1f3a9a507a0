"""The service's two tables as SQLAlchemy ORM models, and the sessions that
read them: what orm_items.py (FastAPI), litestar_items.py and flask_items.py
share, so the frameworks' "framework alone" reads differ only by the
framework (and, for Flask, by the synchronous driver its flavour uses).

Each engine is set up as the read engine of the service it stands beside,
with a pool as large as the service's (DATABASE_POOL_SIZE and
DATABASE_MAX_OVERFLOW, at the service's defaults) and autocommit reads (no
BEGIN and ROLLBACK around them):

  async_sessions()  asyncpg, no ping before use (the async flavours)
  sync_sessions()   psycopg, a ping before each checkout, a wait for a free
                    connection and a recycle age as in the Flask flavour

Only the engine a floor asks for is built, so the sync flavour's project
(which has no greenlet, needed by SQLAlchemy's asyncio extension) and the
async ones' (no psycopg) each import this module alike.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

# Plain postgresql://, as the service's DATABASE_URL; the settings' defaults.
DATABASE_URL = os.environ["DATABASE_URL"]
POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", "5"))
MAX_OVERFLOW = int(os.environ.get("DATABASE_MAX_OVERFLOW", "10"))
POOL_TIMEOUT = float(os.environ.get("DATABASE_POOL_TIMEOUT", "30"))
# The sync service's recycle age: below typical proxy and firewall idle limits.
POOL_RECYCLE_SECONDS = 1800


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    is_active: Mapped[bool]


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int]
    name: Mapped[str]
    description: Mapped[str | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


def _driver_url(driver: str) -> str:
    return DATABASE_URL.replace("postgresql://", f"postgresql+{driver}://", 1)


def async_sessions() -> async_sessionmaker[AsyncSession]:
    """Sessions on asyncpg, as the async services' read engine."""
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

    engine = create_async_engine(
        _driver_url("asyncpg"),
        pool_size=POOL_SIZE,
        max_overflow=MAX_OVERFLOW,
    ).execution_options(isolation_level="AUTOCOMMIT")
    return async_sessionmaker(engine, expire_on_commit=False)


def sync_sessions() -> sessionmaker[Session]:
    """Sessions on psycopg, as the Flask service's read engine."""
    engine = create_engine(
        _driver_url("psycopg"),
        # The service pings because a blocking driver learns of a connection
        # the server closed only by using it: one round trip per checkout,
        # which the floor must pay too to differ from it by the template only.
        pool_pre_ping=True,
        pool_size=POOL_SIZE,
        max_overflow=MAX_OVERFLOW,
        pool_timeout=POOL_TIMEOUT,
        pool_recycle=POOL_RECYCLE_SECONDS,
    ).execution_options(isolation_level="AUTOCOMMIT")
    return sessionmaker(engine, expire_on_commit=False)
