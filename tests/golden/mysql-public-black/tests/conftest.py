"""Shared fixtures: a private database per run, a rolled-back session per test.

Tests read DATABASE_URL in their plain forms; with none
set they use the services of compose.yaml on localhost.
"""

import os
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from acme_orders.db import create_engine
from acme_orders.migrations import upgrade_to_head
from acme_orders.settings import Settings
from tests.apps import app_using
from tests.clients import serve
from tests.databases import temporary_database
from tests.sessions import rolled_back_session


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A fresh database for this run, migrated to head, dropped afterwards."""
    with temporary_database(os.environ.get("DATABASE_URL")) as url:
        upgrade_to_head(url)
        yield url


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(
        environment="test",
        database_url=database_url,
    )


@pytest.fixture
async def session(settings: Settings) -> AsyncIterator[AsyncSession]:
    """A session whose work is rolled back after the test, commits included."""
    engine = create_engine(settings)
    async with rolled_back_session(engine) as session:
        yield session
    await engine.dispose()


@pytest.fixture
async def client(
    settings: Settings,
    session: AsyncSession,
) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(app_using(settings, session)) as client:
        yield client
