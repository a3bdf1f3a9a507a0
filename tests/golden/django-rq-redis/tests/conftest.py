"""Shared fixtures: cheap password hashing and API clients.

Tests read DATABASE_URL (and REDIS_URL, with the Redis cache) in their plain
forms: sqlite:///..., postgresql://..., mysql://...; Django's settings for
the tests are config/test_settings.py.
"""

from collections.abc import Iterator

import pytest
from rest_framework.test import APIClient

from tests.clients import json_client


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
def api_client(db: None) -> APIClient:
    """A client of the API sending JSON, with database access for the test."""
    return json_client()


@pytest.fixture(scope="session", autouse=True)
def run_task_queue() -> Iterator[None]:
    """This run's queue (TASK_QUEUE), deleted from the broker after the run."""
    yield
    from acme_orders import rq_setup
    from acme_orders.settings import get_settings

    rq_setup.delete_queue(get_settings())
