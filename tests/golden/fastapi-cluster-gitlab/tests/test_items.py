"""The items resource: CRUD, pagination and validation, per owner."""

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from acme_orders.db import create_engine
from acme_orders.items.models import Item
from acme_orders.settings import Settings
from tests.apps import app_using
from tests.clients import serve
from tests.helpers import auth_headers
from tests.sessions import rolled_back_session

Headers = dict[str, str]


async def headers_for(client: httpx.AsyncClient) -> Headers:
    """A new user's credentials."""
    return await auth_headers(client)


@pytest.fixture
async def headers(client: httpx.AsyncClient) -> Headers:
    return await headers_for(client)


async def test_crud_round_trip(client: httpx.AsyncClient, headers: Headers) -> None:
    created = await client.post(
        "/items", json={"name": "Widget", "description": "Blue"}, headers=headers
    )
    assert created.status_code == 201
    item = created.json()
    assert item["name"] == "Widget"

    read = await client.get(f"/items/{item['id']}", headers=headers)
    assert read.status_code == 200
    assert read.json() == item

    updated = await client.patch(
        f"/items/{item['id']}", json={"description": None}, headers=headers
    )
    assert updated.status_code == 200
    assert updated.json()["name"] == "Widget"
    assert updated.json()["description"] is None

    deleted = await client.delete(f"/items/{item['id']}", headers=headers)
    assert deleted.status_code == 204
    gone = await client.get(f"/items/{item['id']}", headers=headers)
    assert gone.status_code == 404


async def test_list_is_paginated(client: httpx.AsyncClient, headers: Headers) -> None:
    for number in range(5):
        await client.post("/items", json={"name": f"item {number}"}, headers=headers)

    page = await client.get("/items", params={"limit": 2, "offset": 1}, headers=headers)
    assert page.status_code == 200
    body = page.json()
    assert body["total"] == 5
    assert (body["limit"], body["offset"]) == (2, 1)
    assert [item["name"] for item in body["items"]] == ["item 1", "item 2"]


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"name": ""},
        {"name": "x" * 201},
        {"name": "nul\x00byte"},
        {"name": "ok", "unknown": 1},
        {"name": 42},
    ],
)
async def test_invalid_items_are_refused(
    client: httpx.AsyncClient, headers: Headers, payload: dict[str, object]
) -> None:
    response = await client.post("/items", json=payload, headers=headers)
    assert response.status_code == 422
    assert "detail" in response.json()


async def test_name_cannot_be_nulled(
    client: httpx.AsyncClient,
    headers: Headers,
) -> None:
    item = (await client.post("/items", json={"name": "a"}, headers=headers)).json()
    response = await client.patch(
        f"/items/{item['id']}", json={"name": None}, headers=headers
    )
    assert response.status_code == 422


@pytest.mark.parametrize("item_id", ["0", "-1", "abc", str(2**63)])
async def test_bad_ids_are_client_errors(
    client: httpx.AsyncClient, headers: Headers, item_id: str
) -> None:
    response = await client.get(f"/items/{item_id}", headers=headers)
    assert response.status_code == 422


async def test_what_a_test_commits_is_rolled_back_after_it(settings: Settings) -> None:
    # The `session` fixture's mechanism, used twice here, so the check holds
    # whichever tests run before this one, or none.
    engine = create_engine(settings)
    async with rolled_back_session(engine) as first:
        async with serve(app_using(settings, first)) as client:
            created = await client.post(
                "/items", json={"name": "committed"}, headers=await headers_for(client)
            )
        assert created.status_code == 201
        assert await _count_items(first) == 1
    async with rolled_back_session(engine) as second:
        assert await _count_items(second) == 0
    await engine.dispose()


async def _count_items(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(Item)) or 0


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"offset": 2**63}]
)
async def test_bad_pages_are_refused(
    client: httpx.AsyncClient, headers: Headers, params: dict[str, int]
) -> None:
    response = await client.get("/items", params=params, headers=headers)
    assert response.status_code == 422


async def test_operations_are_named_after_their_action(
    client: httpx.AsyncClient,
) -> None:
    # Generated clients take these as method names.
    schema = (await client.get("/openapi.json")).json()
    paths = schema["paths"].values()
    names = {op["operationId"] for path in paths for op in path.values()}
    actions = {"list_items", "create_item", "get_item", "update_item", "delete_item"}
    assert actions <= names
