"""Cross-cutting HTTP behaviour: request ids, security headers, CORS, errors."""

from collections.abc import AsyncIterator

import httpx
import pytest

from acme_orders.main import create_app
from acme_orders.settings import Settings
from tests.apps import app_failing_at
from tests.clients import serve

# With auth, /items answers 401 before reading a body; /auth/register reads it.
HAS_AUTH = True


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
    app = app_failing_at("/broken", RuntimeError("internal detail"), settings)
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
    debugging = settings.model_copy(update={"debug": True})
    app = app_failing_at("/broken", RuntimeError("internal detail"), debugging)
    async with serve(app) as client:
        response = await client.get("/broken")
    assert response.status_code == 500
    assert "internal detail" in response.json()["traceback"]


async def test_a_declared_body_over_the_limit_is_refused_unread(
    settings: Settings,
) -> None:
    app = create_app(settings.model_copy(update={"max_request_body_bytes": 100}))
    async with serve(app) as client:
        response = await client.post(
            "/items",
            content=b"{" + b" " * 200 + b"}",
            headers={"Content-Type": "application/json"},
        )
    assert response.status_code == 413
    assert response.json()["request_id"] == response.headers["x-request-id"]
    assert response.headers["connection"] == "close"


async def test_a_streamed_body_over_the_limit_is_refused(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"max_request_body_bytes": 100}))

    async def chunks() -> AsyncIterator[bytes]:
        # No Content-Length: the body is counted as it arrives.
        for _ in range(10):
            yield b" " * 50

    async with serve(app) as client:
        response = await client.post(
            "/auth/register" if HAS_AUTH else "/items",
            content=chunks(),
            headers={"Content-Type": "application/json"},
        )
    assert response.status_code == 413
    assert "request_id" in response.json()


async def test_an_undecodable_body_is_a_validation_error(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/auth/register" if HAS_AUTH else "/items",
        content=b'{"name": "\xff\xfe"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["request_id"] == response.headers["x-request-id"]


async def test_a_wrong_method_lists_every_allowed_one(
    client: httpx.AsyncClient,
) -> None:
    response = await client.put("/items")
    assert response.status_code == 405
    allowed = {method.strip() for method in response.headers["allow"].split(",")}
    assert {"GET", "POST"} <= allowed


async def test_options_lists_every_method_of_the_path(
    client: httpx.AsyncClient,
) -> None:
    response = await client.options("/items")
    allowed = {method.strip() for method in response.headers["allow"].split(",")}
    assert {"GET", "POST"} <= allowed


async def test_a_trailing_slash_is_redirected_to_the_path_without(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/health/live/", params={"a": "1"})
    assert response.status_code == 307
    assert response.headers["location"].endswith("/health/live?a=1")


async def test_every_error_the_schema_names_has_the_shared_body(
    client: httpx.AsyncClient,
) -> None:
    schema = (await client.get("/openapi.json")).json()
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert {"live", "ready"} <= {op["operationId"] for op in operations}
    error_body = {"$ref": "#/components/schemas/ErrorBody"}
    for operation in operations:
        responses = operation["responses"]
        if operation["operationId"] != "live":
            assert "503" in responses, operation["operationId"]
        if "requestBody" in operation:
            assert {"413", "422"} <= responses.keys(), operation["operationId"]
        if operation.get("security"):
            assert "401" in responses, operation["operationId"]
        for status, response in responses.items():
            if status >= "400" and operation["operationId"] != "ready":
                content = response["content"]["application/json"]
                assert content["schema"] == error_body, (operation, status)
    readiness = schema["paths"]["/health/ready"]["get"]["responses"]["503"]
    assert readiness["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Readiness"
    }
