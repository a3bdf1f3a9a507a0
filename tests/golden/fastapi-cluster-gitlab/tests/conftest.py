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
        broker_url=os.environ.get("BROKER_URL", "redis://localhost:6380/0"),
        # A queue of this run's own on the broker, deleted after the run.
        task_queue=f"test-{os.urandom(6).hex()}",
        secret_key="test-only-secret-key-of-at-least-32-characters",
        # Generous, so only the rate-limit test ever reaches it.
        login_rate_limit=1000,
    )


@pytest.fixture(scope="session", autouse=True)
def run_task_queue(settings: Settings) -> Iterator[None]:
    """This run's queue (TASK_QUEUE), deleted from the broker after the run."""
    yield
    from acme_orders import celery_setup

    celery_setup.delete_queue(settings)


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing() -> Iterator[None]:
    """Hash with the cheapest argon2 parameters while testing.

    Production parameters cost a third of a second per hash, on purpose; the
    tests check behaviour, not cost, and would spend most of their time hashing.
    """
    from pwdlib import PasswordHash
    from pwdlib.hashers.argon2 import Argon2Hasher

    from acme_orders.auth import security

    cheap = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1),))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(security, "password_hash", cheap)
        yield


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
