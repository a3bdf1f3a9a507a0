"""Registration, login, tokens, rate limiting and ownership."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from sqlalchemy.orm import Session

from acme_orders.auth.security import ALGORITHM
from acme_orders.settings import Settings
from tests.apps import app_using
from tests.clients import serve
from tests.helpers import PASSWORD, auth_headers, unique_email


def test_register_login_and_me(client: httpx.Client) -> None:
    email = unique_email()
    headers = auth_headers(client, email)
    me = client.get("/auth/me", headers=headers)
    assert me.status_code == 200
    assert me.json()["email"] == email
    assert "password" not in me.text


def test_duplicate_email_is_a_conflict(client: httpx.Client) -> None:
    email = unique_email()
    auth_headers(client, email)
    again = client.post(
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
def test_bad_registrations_are_refused(
    client: httpx.Client, payload: dict[str, str]
) -> None:
    response = client.post("/auth/register", json=payload)
    assert response.status_code == 422


@pytest.mark.parametrize(
    "payload",
    [
        {"email": "not-an-email", "password": "a-password-never-to-echo"},
        {"email": "short@example.com", "password": "echo-me-not"},
        {"email": "a@example.com", "password": "a-password-never-to-echo", "x": 1},
    ],
)
def test_refused_registrations_do_not_echo_the_password(
    client: httpx.Client, payload: dict[str, object]
) -> None:
    response = client.post("/auth/register", json=payload)
    assert response.status_code == 422
    assert str(payload["password"]) not in response.text


def test_wrong_password_is_refused(client: httpx.Client) -> None:
    email = unique_email()
    auth_headers(client, email)
    response = client.post(
        "/auth/login", data={"username": email, "password": "wrong password!"}
    )
    assert response.status_code == 401
    unknown = client.post(
        "/auth/login", data={"username": unique_email(), "password": PASSWORD}
    )
    assert unknown.status_code == 401
    assert unknown.json()["detail"] == response.json()["detail"]


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer", "Bearer not-a-token", "Basic dXNlcjpwYXNz"],
)
def test_requests_without_a_valid_token_are_refused(
    client: httpx.Client, authorization: str
) -> None:
    response = client.get("/items", headers={"Authorization": authorization})
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


def registered_user_id(client: httpx.Client) -> int:
    me = client.get("/auth/me", headers=auth_headers(client))
    assert me.status_code == 200
    return int(me.json()["id"])


def me_with(client: httpx.Client, token: str) -> httpx.Response:
    return client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})


def test_a_token_made_like_the_services_own_is_accepted(
    client: httpx.Client, settings: Settings
) -> None:
    # The baseline for the refusals below: same user, same way of making it.
    user_id = registered_user_id(client)
    response = me_with(client, token_for(settings, str(user_id)))
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
def test_bad_tokens_of_a_real_user_are_refused(
    client: httpx.Client, settings: Settings, alteration: dict[str, Any]
) -> None:
    # The user exists, so only the token's own checks can refuse it.
    user_id = registered_user_id(client)
    response = me_with(client, token_for(settings, str(user_id), **alteration))
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
def test_malformed_subjects_are_refused(
    client: httpx.Client, settings: Settings, subject: str
) -> None:
    user_id = registered_user_id(client)
    response = me_with(client, token_for(settings, subject.format(id=user_id)))
    assert response.status_code == 401, response.text


def test_other_users_items_are_out_of_reach(client: httpx.Client) -> None:
    owner = auth_headers(client)
    stranger = auth_headers(client)
    item = (client.post("/items", json={"name": "mine"}, headers=owner)).json()

    for method in ("GET", "PATCH", "DELETE"):
        response = client.request(
            method, f"/items/{item['id']}", json={"name": "x"}, headers=stranger
        )
        assert response.status_code == 404, method
    listing = client.get("/items", headers=stranger)
    assert listing.json()["total"] == 0
    still_there = client.get(f"/items/{item['id']}", headers=owner)
    assert still_there.json()["name"] == "mine"


def test_login_is_rate_limited(settings: Settings, session: Session) -> None:
    statuses = _statuses_under_limit(
        settings,
        session,
        3,
        "/auth/login",
        {"data": {"username": unique_email(), "password": "wrong password!"}},
    )
    assert statuses == [401, 401, 401, 429]


def test_registration_is_rate_limited(
    settings: Settings,
    session: Session,
) -> None:
    account = {"email": unique_email(), "password": PASSWORD}
    statuses = _statuses_under_limit(
        settings, session, 2, "/auth/register", {"json": account}
    )
    assert statuses == [201, 409, 429, 429]


def _statuses_under_limit(
    settings: Settings,
    session: Session,
    limit: int,
    path: str,
    request: dict[str, Any],
) -> list[int]:
    """Status codes of four identical requests to an app with this limit."""
    limited = settings.model_copy(update={"login_rate_limit": limit})
    with serve(app_using(limited, session)) as client:
        return [(client.post(path, **request)).status_code for _ in range(4)]
