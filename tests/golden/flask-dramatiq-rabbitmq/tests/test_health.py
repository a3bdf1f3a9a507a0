"""Probes: live touches nothing, ready checks every resource."""

import httpx
import pytest

from acme_orders import lifecycle
from acme_orders.resources import RESOURCES


def test_live_answers_ok(client: httpx.Client) -> None:
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_checks_every_resource(client: httpx.Client) -> None:
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok"},
    }


def test_ready_reports_a_failing_resource(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(_connection: object) -> None:
        raise ConnectionError

    monkeypatch.setattr(RESOURCES[0], "ping", unreachable)
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"


def test_ready_fails_while_the_process_drains(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What SIGTERM does first (see server.py): live stays up, ready goes down.
    monkeypatch.setattr(lifecycle, "is_draining", lambda: True)
    ready = client.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json()["status"] == "unavailable"
    assert (client.get("/health/live")).status_code == 200
