"""The PostgreSQL backend's health check: no round trip for a connection that
is fine, and a connection the server ended is never used again."""

import time

import pytest
from django.db import connection
from django.db.backends.postgresql import base as django_postgresql

pytestmark = pytest.mark.django_db(transaction=True)


def _round_trip(self: object) -> bool:
    raise AssertionError("the health check ran a statement")


def test_an_idle_connection_is_checked_without_a_statement(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    connection.ensure_connection()
    monkeypatch.setattr(django_postgresql.DatabaseWrapper, "is_usable", _round_trip)
    assert connection.is_usable()


def test_a_connection_the_server_ended_is_unusable() -> None:
    connection.ensure_connection()
    assert connection.connection is not None
    pid = connection.connection.info.backend_pid
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not connection.is_usable()
    connection.close()
