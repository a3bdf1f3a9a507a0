"""Cross-cutting HTTP behaviour: request ids, security headers, CORS, errors."""

import httpx
import pytest

from acme_orders.main import create_app
from acme_orders.settings import Settings
from tests.clients import serve


async def test_every_response_carries_a_request_id(client: httpx.AsyncClient) -> None:
    generated = await client.get("/health/live")
    assert len(generated.headers["x-request-id"]) == 32

    echoed = await client.get("/health/live", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"

    unsafe = await client.get("/health/live", headers={"X-Request-ID": "a b\tc"})
    assert unsafe.headers["x-request-id"] != "a b\tc"


async def test_security_headers(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in response.headers["content-security-policy"]


async def test_cors_allows_only_listed_origins(client: httpx.AsyncClient) -> None:
    allowed = await client.options(
        "/items",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "GET",
        },
    )
    assert allowed.headers["access-control-allow-origin"] == "http://localhost:3000"
    denied = await client.options(
        "/items",
        headers={
            "Origin": "https://evil.example",
            "Access-Control-Request-Method": "GET",
        },
    )
    assert "access-control-allow-origin" not in denied.headers


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/no-such-page", 404), ("PUT", "/health/live", 405)],
)
async def test_errors_are_json(
    client: httpx.AsyncClient, method: str, path: str, status: int
) -> None:
    response = await client.request(method, path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert "detail" in response.json()


async def test_malformed_json_is_a_client_error(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/items", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code in {401, 422}
    assert "Traceback" not in response.text


async def test_validation_errors_do_not_echo_the_input(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/items", json={"name": "x" * 201})
    assert response.status_code in {401, 422}
    assert "x" * 201 not in response.text


async def test_unexpected_errors_are_json_with_a_request_id(settings: Settings) -> None:
    app = create_app(settings)

    async def broken() -> None:
        raise RuntimeError("internal detail")

    app.add_api_route("/broken", broken)
    async with serve(app) as client:
        response = await client.get("/broken")
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Internal Server Error",
        "request_id": response.headers["x-request-id"],
    }
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "internal detail" not in response.text


async def test_debug_puts_the_traceback_in_500s(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"debug": True}))

    async def broken() -> None:
        raise RuntimeError("internal detail")

    app.add_api_route("/broken", broken)
    async with serve(app) as client:
        response = await client.get("/broken")
    assert response.status_code == 500
    assert "internal detail" in response.json()["traceback"]
