"""Cross-cutting HTTP behaviour: request ids, security headers, CORS, errors."""

import pytest
from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path
from rest_framework.test import APIClient

# With auth, /items answers 401 before reading a body; /auth/register reads it.
HAS_AUTH = True
BODY_PATH = "/auth/register" if HAS_AUTH else "/items"
OTHER_ORIGIN = "https://evil.example"


def allowed_origin() -> str:
    origins: list[str] = settings.SERVICE_SETTINGS.cors_origins
    return origins[0]


def test_every_response_carries_a_request_id(api_client: APIClient) -> None:
    generated = api_client.get("/health/live")
    assert len(generated.headers["X-Request-ID"]) == 32
    assert api_client.get("/no-such-page").headers["X-Request-ID"]

    echoed = api_client.get("/health/live", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["X-Request-ID"] == "abc-123"

    for unsafe in ("a b\tc", "x" * 65, "<script>"):
        replaced = api_client.get("/health/live", headers={"X-Request-ID": unsafe})
        assert len(replaced.headers["X-Request-ID"]) == 32, unsafe


@pytest.mark.parametrize("url", ["/health/live", "/no-such-page"])
def test_security_headers(api_client: APIClient, url: str) -> None:
    response = api_client.get(url)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_cors_answers_only_listed_origins(api_client: APIClient) -> None:
    origin = allowed_origin()
    allowed = api_client.get("/health/live", headers={"Origin": origin})
    assert allowed.headers["Access-Control-Allow-Origin"] == origin
    assert "Origin" in allowed.headers["Vary"]

    denied = api_client.get("/health/live", headers={"Origin": OTHER_ORIGIN})
    assert denied.status_code == 200
    assert "Access-Control-Allow-Origin" not in denied.headers


def preflight(client: APIClient, origin: str, method: str = "POST") -> HttpResponse:
    return client.options(
        "/items",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )


def test_preflight_of_a_listed_origin(api_client: APIClient) -> None:
    response = preflight(api_client, allowed_origin())
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == allowed_origin()
    methods = response.headers["Access-Control-Allow-Methods"]
    assert "POST" in methods
    headers = response.headers["Access-Control-Allow-Headers"]
    assert "Authorization" in headers


@pytest.mark.parametrize(
    ("origin", "method"),
    [(OTHER_ORIGIN, "POST"), ("http://localhost:3000", "TRACE")],
)
def test_preflight_refusals(api_client: APIClient, origin: str, method: str) -> None:
    response = preflight(api_client, origin, method)
    assert response.status_code == 400
    if origin == OTHER_ORIGIN:
        assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/no-such-page", 404),
        ("GET", "/items/", 307),
        ("PUT", "/health/live", 405),
        ("DELETE", "/items", 405),
    ],
)
def test_errors_are_json(
    api_client: APIClient, method: str, url: str, status: int
) -> None:
    response = api_client.generic(method, url)
    assert response.status_code == status
    if status == 307:  # a trailing slash too many: redirected, as in FastAPI
        assert response.headers["Location"].endswith("/items")
        return
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "Not Found" if status == 404 else "Method Not Allowed",
        "request_id": response.headers["X-Request-ID"],
    }


def test_a_wrong_method_lists_every_allowed_one(api_client: APIClient) -> None:
    response = api_client.put("/items")
    assert response.status_code == 405
    allowed = {method.strip() for method in response.headers["Allow"].split(",")}
    assert allowed == {"GET", "POST"}


def test_a_body_over_the_limit_is_refused_unread(api_client: APIClient) -> None:
    limit: int = settings.SERVICE_SETTINGS.max_request_body_bytes
    response = api_client.post(
        BODY_PATH,
        b"{" + b" " * limit + b"}",
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["request_id"] == response.headers["X-Request-ID"]
    assert response.headers["Connection"] == "close"


@pytest.mark.parametrize("url", ["/items", BODY_PATH])
def test_malformed_json_is_a_validation_error(api_client: APIClient, url: str) -> None:
    # JSON is read before the token is checked, as FastAPI does.
    response = api_client.post(url, b"{not json", content_type="application/json")
    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/json"
    (problem,) = response.json()["detail"]
    assert problem["type"] == "json_invalid"
    assert problem["loc"][0] == "body"


def test_an_undecodable_body_is_a_validation_error(api_client: APIClient) -> None:
    response = api_client.post(
        BODY_PATH, b'{"name": "\xff\xfe"}', content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["request_id"] == response.headers["X-Request-ID"]


def test_validation_errors_do_not_echo_the_input(api_client: APIClient) -> None:
    response = api_client.post(BODY_PATH, {"email": "x" * 500, "name": "y" * 500})
    assert response.status_code == 422
    assert b"x" * 500 not in response.content
    assert b"y" * 500 not in response.content


# Views that fail, for the tests marked with this module as their URLconf.
def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("internal detail")


def database_down(request: HttpRequest) -> HttpResponse:
    raise OperationalError("connection refused")


urlpatterns = [path("broken", broken), path("database-down", database_down)]


@pytest.mark.urls(__name__)
def test_unexpected_errors_are_json_with_a_request_id(api_client: APIClient) -> None:
    response = api_client.get("/broken")
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Internal Server Error",
        "request_id": response.headers["X-Request-ID"],
    }
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert b"internal detail" not in response.content


@pytest.mark.urls(__name__)
def test_an_unreachable_database_answers_503(api_client: APIClient) -> None:
    response = api_client.get("/database-down")
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert response.json()["detail"] == (
        "The database is unavailable; try again shortly"
    )


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/"),
        ("GET", "/no-such-page"),
        ("GET", "/health"),
        ("POST", "/health/live"),
        ("HEAD", "/items"),
        ("OPTIONS", "/items"),
        ("GET", "/items/0"),
        ("GET", "/openapi.json/x"),
    ],
)
def test_no_answer_is_html(api_client: APIClient, method: str, url: str) -> None:
    response = api_client.generic(method, url, HTTP_ACCEPT="text/html")
    assert response.status_code >= 400
    assert response["Content-Type"] == "application/json"
    assert b"<html" not in response.content.lower()


def test_the_schema_names_every_operation(api_client: APIClient) -> None:
    response = api_client.get("/openapi.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    schema = response.json()
    operations = [op for path in schema["paths"].values() for op in path.values()]
    names = {op["operationId"] for op in operations}
    assert {"live", "ready"} <= names
    if HAS_AUTH:
        assert {"register", "login", "me"} <= names


def test_every_error_the_schema_names_has_the_shared_body(
    api_client: APIClient,
) -> None:
    schema = api_client.get("/openapi.json").json()
    operations = [op for path in schema["paths"].values() for op in path.values()]
    error_body = {"$ref": "#/components/schemas/ErrorBody"}
    for operation in operations:
        name, responses = operation["operationId"], operation["responses"]
        if name != "live":
            assert "503" in responses, name
        if "requestBody" in operation:
            assert {"413", "422"} <= responses.keys(), name
        if operation.get("security"):
            assert "401" in responses, name
        for status, answer in responses.items():
            if status >= "400" and name != "ready":
                content = answer["content"]["application/json"]
                assert content["schema"] == error_body, (name, status)
