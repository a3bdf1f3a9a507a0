"""Probes: live touches nothing, ready checks every dependency."""

import pytest
from rest_framework.test import APIClient

from acme_orders import lifecycle
from acme_orders.api import health


def test_live_answers_ok(api_client: APIClient) -> None:
    response = api_client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_checks_every_dependency(api_client: APIClient) -> None:
    response = api_client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok"},
    }


@pytest.mark.parametrize("failing", list(health.PROBES))
def test_ready_reports_a_failing_dependency(
    api_client: APIClient, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    def unreachable() -> None:
        raise ConnectionError

    monkeypatch.setitem(health.PROBES, failing, unreachable)
    response = api_client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"][failing] == "unavailable"
    others = {name: state for name, state in body["checks"].items() if name != failing}
    assert set(others.values()) <= {"ok"}


def test_ready_fails_while_the_process_drains(
    api_client: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What SIGTERM does first (see server.py): live stays up, ready goes down.
    monkeypatch.setattr(lifecycle, "is_draining", lambda: True)
    ready = api_client.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json()["status"] == "unavailable"
    assert api_client.get("/health/live").status_code == 200
