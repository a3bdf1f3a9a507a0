"""The database and cache servers of the development and CI machines (DESIGN.md section 6).

Tests that need a server call ``require_service(name)``. On a laptop without
the server the test is skipped; on CI, where ``REQUIRE_SERVICES=1``, a
missing server fails the test, so a stopped service cannot turn the suite
green by skipping everything that uses it.
"""

from __future__ import annotations

import os
import socket

import pytest

SERVICES: dict[str, tuple[str, int]] = {
    "postgresql": ("127.0.0.1", 5432),
    "mariadb": ("127.0.0.1", 3306),
    "redis": ("127.0.0.1", 6379),
    "rabbitmq": ("127.0.0.1", 5672),
}
# The template's `database` answer calls MariaDB "mysql".
ALIASES = {"mysql": "mariadb", "postgres": "postgresql"}


def address(name: str) -> tuple[str, int]:
    return SERVICES[ALIASES.get(name, name)]


def is_reachable(name: str, timeout: float = 1.0) -> bool:
    """Whether the service accepts a TCP connection."""
    try:
        with socket.create_connection(address(name), timeout=timeout):
            return True
    except OSError:
        return False


def require_service(name: str) -> None:
    """Skip the calling test if ``name`` is down, or fail it when services are required."""
    if is_reachable(name):
        return
    host, port = address(name)
    message = f"{name} not reachable at {host}:{port}"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{message} (REQUIRE_SERVICES=1: start it, see DESIGN.md section 6)")
    pytest.skip(message)


def require_services_of(answers: dict[str, object]) -> None:
    """``require_service`` for each server a project with ``answers`` uses:
    its database, Redis as its cache, its queue's broker."""
    database = str(answers.get("database", "sqlite"))
    if database != "sqlite":
        require_service(database)
    if answers.get("cache") == "redis":
        require_service("redis")
    if answers.get("queue", "none") != "none":
        require_service(str(answers.get("broker", "redis")))
