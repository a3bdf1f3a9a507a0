"""The items API: create, read, update, delete and list.

This file is yours: an example of testing an API of the service. The
``api_client`` fixture (conftest.py) is a DRF test client sending JSON; each
test runs in a transaction that is rolled back after it.
"""

import pytest
from rest_framework.test import APIClient

from tests.clients import json_client
from tests.helpers import log_in


@pytest.fixture
def client(api_client: APIClient) -> APIClient:
    """The client of these tests: a new user's, logged in."""
    log_in(api_client)
    return api_client


# The body of requests whose method is a test parameter (client.generic).
BODY = '{"name": "x"}'
JSON = "application/json"


def create(client: APIClient, name: str, description: str | None = None) -> int:
    response = client.post("/items", {"name": name, "description": description})
    assert response.status_code == 201, response.content
    item_id: int = response.json()["id"]
    return item_id


def test_crud_round_trip(client: APIClient) -> None:
    created = client.post("/items", {"name": "Widget", "description": "Blue"})
    assert created.status_code == 201
    item = created.json()
    assert (item["name"], item["description"]) == ("Widget", "Blue")

    read = client.get(f"/items/{item['id']}")
    assert read.status_code == 200
    assert read.json() == item

    updated = client.patch(f"/items/{item['id']}", {"description": None})
    assert updated.status_code == 200
    assert updated.json()["name"] == "Widget"
    assert updated.json()["description"] is None

    deleted = client.delete(f"/items/{item['id']}")
    assert deleted.status_code == 204
    assert client.get(f"/items/{item['id']}").status_code == 404


def test_list_is_paginated(client: APIClient) -> None:
    for number in range(5):
        create(client, f"item {number}")

    page = client.get("/items", {"limit": 2, "offset": 1})
    assert page.status_code == 200
    body = page.json()
    assert body["total"] == 5
    assert (body["limit"], body["offset"]) == (2, 1)
    assert [item["name"] for item in body["items"]] == ["item 1", "item 2"]

    first = client.get("/items").json()
    assert (first["limit"], first["offset"], len(first["items"])) == (20, 0, 5)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_bad_pages_are_refused(
    client: APIClient, params: dict[str, int | str], field: str
) -> None:
    response = client.get("/items", params)
    assert response.status_code == 422
    assert [problem["loc"] for problem in response.json()["detail"]] == [
        ["query", field]
    ]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "nul\x00byte"}, "name"),
        ({"name": 42}, "name"),
        ({"name": "ok", "description": "x" * 2001}, "description"),
        ({"name": "ok", "unknown": 1}, "unknown"),
    ],
)
def test_invalid_items_are_refused(
    client: APIClient, payload: dict[str, object], field: str
) -> None:
    response = client.post("/items", payload)
    assert response.status_code == 422
    assert [problem["loc"] for problem in response.json()["detail"]] == [
        ["body", field]
    ]


def test_name_cannot_be_nulled(client: APIClient) -> None:
    item_id = create(client, "a")
    response = client.patch(f"/items/{item_id}", {"name": None})
    assert response.status_code == 422
    assert client.get(f"/items/{item_id}").json()["name"] == "a"


@pytest.mark.parametrize("item_id", ["0", "-1", "abc", str(2**31)])
def test_bad_ids_are_validation_errors(client: APIClient, item_id: str) -> None:
    response = client.get(f"/items/{item_id}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "item_id"]


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_absent_items_are_not_found(client: APIClient, method: str) -> None:
    item_id = create(client, "soon gone")
    client.delete(f"/items/{item_id}")
    response = client.generic(method, f"/items/{item_id}", BODY, JSON)
    assert response.status_code == 404
    assert response.json()["detail"] == "Item not found"


def test_operations_are_named_after_their_action(client: APIClient) -> None:
    # Generated clients take these as method names.
    schema = client.get("/openapi.json").json()
    operations = [op for path in schema["paths"].values() for op in path.values()]
    names = {operation["operationId"] for operation in operations}
    actions = {"list_items", "create_item", "get_item", "update_item", "delete_item"}
    assert actions <= names


def test_other_users_items_are_out_of_reach(client: APIClient) -> None:
    item_id = create(client, "mine")
    stranger = json_client()
    log_in(stranger)

    for method in ("GET", "PATCH", "DELETE"):
        response = stranger.generic(method, f"/items/{item_id}", BODY, JSON)
        assert response.status_code == 404, method
    assert stranger.get("/items").json()["total"] == 0
    assert client.get(f"/items/{item_id}").json()["name"] == "mine"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/items"),
        ("POST", "/items"),
        ("GET", "/items/1"),
        ("PATCH", "/items/1"),
        ("DELETE", "/items/1"),
    ],
)
def test_a_token_is_required(api_client: APIClient, method: str, url: str) -> None:
    response = api_client.generic(method, url, BODY, JSON)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"] == "Not authenticated"
