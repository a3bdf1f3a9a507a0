"""Probes: live touches nothing, ready checks every resource."""

import httpx
import pytest

from acme_orders import lifecycle
from acme_orders.resources import RESOURCES


async def test_live_answers_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_checks_every_resource(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok"},
    }


async def test_ready_reports_a_failing_resource(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unreachable(_connection: object) -> None:
        raise ConnectionError

    monkeypatch.setattr(RESOURCES[0], "ping", unreachable)
    response = await client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"


async def test_ready_fails_while_the_process_drains(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What SIGTERM does first (see server.py): live stays up, ready goes down.
    monkeypatch.setattr(lifecycle, "is_draining", lambda: True)
    ready = await client.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json()["status"] == "unavailable"
    assert (await client.get("/health/live")).status_code == 200
