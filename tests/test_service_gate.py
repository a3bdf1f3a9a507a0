"""require_service skips on a laptop without the server, and fails on CI."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests import services

pytestmark = pytest.mark.gates


@pytest.fixture
def closed_port() -> int:
    # A port that was just free: nothing listens on it.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def listening_port() -> Iterator[int]:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def test_missing_service_skips_locally(monkeypatch, closed_port: int) -> None:
    monkeypatch.setitem(services.SERVICES, "redis", ("127.0.0.1", closed_port))
    monkeypatch.delenv("REQUIRE_SERVICES", raising=False)

    with pytest.raises(
        pytest.skip.Exception, match=f"redis not reachable at 127.0.0.1:{closed_port}"
    ):
        services.require_service("redis")


def test_missing_service_fails_when_services_are_required(monkeypatch, closed_port: int) -> None:
    monkeypatch.setitem(services.SERVICES, "mariadb", ("127.0.0.1", closed_port))
    monkeypatch.setenv("REQUIRE_SERVICES", "1")

    # The alias used by the `database` answer reaches the same server.
    with pytest.raises(
        pytest.fail.Exception, match=f"mysql not reachable at 127.0.0.1:{closed_port}"
    ):
        services.require_service("mysql")


def test_reachable_service_passes(monkeypatch, listening_port: int) -> None:
    monkeypatch.setitem(services.SERVICES, "postgresql", ("127.0.0.1", listening_port))
    monkeypatch.setenv("REQUIRE_SERVICES", "1")

    assert services.is_reachable("postgresql")
    services.require_service("postgresql")
