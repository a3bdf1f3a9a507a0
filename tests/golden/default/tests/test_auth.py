"""Registration, login, tokens, rate limiting and ownership."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from acme_orders.auth.security import ALGORITHM
from acme_orders.db import get_session
from acme_orders.main import create_app
from acme_orders.settings import Settings
from tests.clients import serve
from tests.helpers import PASSWORD, auth_headers, unique_email


async def test_register_login_and_me(client: httpx.AsyncClient) -> None:
    email = unique_email()
    headers = await auth_headers(client, email)
    me = await client.get("/auth/me", headers=headers)
    assert me.status_code == 200
    assert me.json()["email"] == email
    assert "password" not in me.text


async def test_duplicate_email_is_a_conflict(client: httpx.AsyncClient) -> None:
    email = unique_email()
    await auth_headers(client, email)
    again = await client.post(
        "/auth/register", json={"email": email.upper(), "password": PASSWORD}
    )
    assert again.status_code == 409


@pytest.mark.parametrize(
    "payload",
    [
        {"email": "not-an-email", "password": PASSWORD},
        {"email": "short@example.com", "password": "short"},
        {"email": "long@example.com", "password": "x" * 129},
    ],
)
async def test_bad_registrations_are_refused(
    client: httpx.AsyncClient, payload: dict[str, str]
) -> None:
    response = await client.post("/auth/register", json=payload)
    assert response.status_code == 422


async def test_wrong_password_is_refused(client: httpx.AsyncClient) -> None:
    email = unique_email()
    await auth_headers(client, email)
    response = await client.post(
        "/auth/login", data={"username": email, "password": "wrong password!"}
    )
    assert response.status_code == 401
    unknown = await client.post(
        "/auth/login", data={"username": unique_email(), "password": PASSWORD}
    )
    assert unknown.status_code == 401
    assert unknown.json() == response.json()


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer", "Bearer not-a-token", "Basic dXNlcjpwYXNz"],
)
async def test_requests_without_a_valid_token_are_refused(
    client: httpx.AsyncClient, authorization: str
) -> None:
    response = await client.get("/items", headers={"Authorization": authorization})
    assert response.status_code == 401


async def test_expired_and_forged_tokens_are_refused(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    past = datetime.now(UTC) - timedelta(hours=1)
    expired = jwt.encode(
        {"sub": "1", "type": "access", "iat": past, "exp": past + timedelta(minutes=1)},
        settings.secret_key.get_secret_value(),
        ALGORITHM,
    )
    forged = jwt.encode(
        {"sub": "1", "type": "access", "iat": datetime.now(UTC), "exp": 9999999999},
        "another-key-that-is-long-enough-for-hs256",
        ALGORITHM,
    )
    for token in (expired, forged):
        response = await client.get(
            "/auth/me", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 401


async def test_other_users_items_are_out_of_reach(client: httpx.AsyncClient) -> None:
    owner = await auth_headers(client)
    stranger = await auth_headers(client)
    item = (await client.post("/items", json={"name": "mine"}, headers=owner)).json()

    for method in ("GET", "PATCH", "DELETE"):
        response = await client.request(
            method, f"/items/{item['id']}", json={"name": "x"}, headers=stranger
        )
        assert response.status_code == 404, method
    listing = await client.get("/items", headers=stranger)
    assert listing.json()["total"] == 0
    still_there = await client.get(f"/items/{item['id']}", headers=owner)
    assert still_there.json()["name"] == "mine"


async def test_login_is_rate_limited(settings: Settings, session: AsyncSession) -> None:
    statuses = await _statuses_under_limit(
        settings,
        session,
        3,
        "/auth/login",
        {"data": {"username": unique_email(), "password": "wrong password!"}},
    )
    assert statuses == [401, 401, 401, 429]


async def test_registration_is_rate_limited(
    settings: Settings, session: AsyncSession
) -> None:
    account = {"email": unique_email(), "password": PASSWORD}
    statuses = await _statuses_under_limit(
        settings, session, 2, "/auth/register", {"json": account}
    )
    assert statuses == [201, 409, 429, 429]


async def _statuses_under_limit(
    settings: Settings,
    session: AsyncSession,
    limit: int,
    path: str,
    request: dict[str, Any],
) -> list[int]:
    """Status codes of four identical requests to an app with this limit."""
    limited = create_app(settings.model_copy(update={"login_rate_limit": limit}))
    limited.dependency_overrides[get_session] = lambda: session
    async with serve(limited) as client:
        return [(await client.post(path, **request)).status_code for _ in range(4)]
