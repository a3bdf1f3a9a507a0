"""Registration, login, tokens, rate limiting and ownership."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from acme_orders.auth.security import ALGORITHM
from acme_orders.settings import Settings
from tests.apps import app_using
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


@pytest.mark.parametrize(
    "payload",
    [
        {"email": "not-an-email", "password": "a-password-never-to-echo"},
        {"email": "short@example.com", "password": "echo-me-not"},
        {"email": "a@example.com", "password": "a-password-never-to-echo", "x": 1},
    ],
)
async def test_refused_registrations_do_not_echo_the_password(
    client: httpx.AsyncClient, payload: dict[str, object]
) -> None:
    response = await client.post("/auth/register", json=payload)
    assert response.status_code == 422
    assert str(payload["password"]) not in response.text


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
    assert unknown.json()["detail"] == response.json()["detail"]


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer", "Bearer not-a-token", "Basic dXNlcjpwYXNz"],
)
async def test_requests_without_a_valid_token_are_refused(
    client: httpx.AsyncClient, authorization: str
) -> None:
    response = await client.get("/items", headers={"Authorization": authorization})
    assert response.status_code == 401


def token_for(
    settings: Settings,
    subject: str,
    *,
    key: str | None = None,
    without: str = "",
    **changes: object,
) -> str:
    """A token like the service's own for ``subject``, altered as asked."""
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "sub": subject,
        "type": "access",
        "iat": now,
        "exp": now + timedelta(minutes=5),
        **changes,
    }
    claims.pop(without, None)
    return jwt.encode(claims, key or settings.secret_key.get_secret_value(), ALGORITHM)


async def registered_user_id(client: httpx.AsyncClient) -> int:
    me = await client.get("/auth/me", headers=await auth_headers(client))
    assert me.status_code == 200
    return int(me.json()["id"])


async def me_with(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})


async def test_a_token_made_like_the_services_own_is_accepted(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    # The baseline for the refusals below: same user, same way of making it.
    user_id = await registered_user_id(client)
    response = await me_with(client, token_for(settings, str(user_id)))
    assert response.status_code == 200, response.text


HOUR_AGO = datetime.now(UTC) - timedelta(hours=1)


@pytest.mark.parametrize(
    "alteration",
    [
        pytest.param({"key": "another-key-that-is-long-enough-for-hs256"}, id="forged"),
        pytest.param({"iat": HOUR_AGO, "exp": HOUR_AGO}, id="expired"),
        pytest.param({"type": "refresh"}, id="wrong-type"),
        pytest.param({"without": "exp"}, id="no-expiry"),
        pytest.param({"without": "type"}, id="no-type"),
    ],
)
async def test_bad_tokens_of_a_real_user_are_refused(
    client: httpx.AsyncClient, settings: Settings, alteration: dict[str, Any]
) -> None:
    # The user exists, so only the token's own checks can refuse it.
    user_id = await registered_user_id(client)
    response = await me_with(client, token_for(settings, str(user_id), **alteration))
    assert response.status_code == 401


@pytest.mark.parametrize(
    "subject",
    [
        " {id}",
        "{id} ",
        "+{id}",
        "0{id}",
        "{id}.0",
        "{id}_0",
        "2147483648",
        "99999999999999999999",
        "-1",
        "0",
        "",
        "\uff11",
    ],
)
async def test_malformed_subjects_are_refused(
    client: httpx.AsyncClient, settings: Settings, subject: str
) -> None:
    user_id = await registered_user_id(client)
    response = await me_with(client, token_for(settings, subject.format(id=user_id)))
    assert response.status_code == 401, response.text


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
    settings: Settings,
    session: AsyncSession,
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
    limited = settings.model_copy(update={"login_rate_limit": limit})
    async with serve(app_using(limited, session)) as client:
        return [(await client.post(path, **request)).status_code for _ in range(4)]
