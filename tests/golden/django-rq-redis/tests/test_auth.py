"""Registration, login, tokens and the login rate limit."""

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from django.conf import settings
from rest_framework.test import APIClient

from acme_orders.accounts.models import User
from acme_orders.auth.security import ALGORITHM, signing_key
from tests.helpers import PASSWORD, login, register, unique_email


def test_register_login_and_me(api_client: APIClient) -> None:
    email = unique_email()
    registered = register(api_client, email)
    assert registered.status_code == 201
    assert registered.json() == {"id": registered.json()["id"], "email": email}

    token = login(api_client, email)
    assert token.status_code == 200
    body = token.json()
    assert body["token_type"] == "bearer"
    minutes = settings.SERVICE_SETTINGS.access_token_expire_minutes
    assert body["expires_in"] == minutes * 60

    me = api_client.get(
        "/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json() == registered.json()


def test_the_password_is_stored_as_an_argon2_hash(api_client: APIClient) -> None:
    email = unique_email()
    register(api_client, email)
    stored = User.objects.get(email=email).password
    # pwdlib's own format, the same whatever the framework: no Django prefix.
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_a_registered_email_is_a_conflict(api_client: APIClient) -> None:
    email = unique_email()
    assert register(api_client, email).status_code == 201
    again = register(api_client, email.upper())
    assert again.status_code == 409
    assert again.json()["detail"] == "This e-mail address is already registered"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "not-an-email", "password": PASSWORD}, "email"),
        ({"email": "short@example.com", "password": "s3cr3t"}, "password"),
        ({"email": "long@example.com", "password": "x" * 129}, "password"),
        ({"password": PASSWORD}, "email"),
        ({"email": "a@example.com", "password": PASSWORD, "admin": True}, "admin"),
    ],
)
def test_bad_registrations_are_refused(
    api_client: APIClient, payload: dict[str, object], field: str
) -> None:
    response = api_client.post("/auth/register", payload)
    assert response.status_code == 422
    assert [problem["loc"] for problem in response.json()["detail"]] == [
        ["body", field]
    ]
    assert str(payload["password"]).encode() not in response.content


def test_wrong_credentials_are_refused_alike(api_client: APIClient) -> None:
    email = unique_email()
    register(api_client, email)
    wrong_password = login(api_client, email, "wrong password!")
    unknown_account = login(api_client, unique_email())
    for response in (wrong_password, unknown_account):
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert wrong_password.json()["detail"] == unknown_account.json()["detail"]


def test_login_needs_both_fields(api_client: APIClient) -> None:
    response = login(api_client, "", "")
    assert response.status_code == 422
    locations = [problem["loc"] for problem in response.json()["detail"]]
    assert locations == [["body", "username"], ["body", "password"]]


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer", "Bearer not-a-token", "Basic dXNlcjpwYXNz"],
)
def test_me_needs_a_valid_token(api_client: APIClient, authorization: str) -> None:
    response = api_client.get("/auth/me", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def token_for(
    user_id: int, *, key: str | None = None, without: str = "", **changes: object
) -> str:
    """A token like the service's own for ``user_id``, altered as asked."""
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "sub": str(user_id),
        "type": "access",
        "iat": now,
        "exp": now + timedelta(minutes=5),
        **changes,
    }
    claims.pop(without, None)
    return jwt.encode(claims, key or signing_key(settings.SERVICE_SETTINGS), ALGORITHM)


def new_user_id(client: APIClient) -> int:
    """A newly registered user's id (the client itself stays anonymous)."""
    email = unique_email()
    assert register(client, email).status_code == 201
    return User.objects.get(email=email).pk


def me_with(client: APIClient, token: str) -> int:
    response = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    return response.status_code


def test_a_token_made_like_the_services_own_is_accepted(
    api_client: APIClient,
) -> None:
    # The baseline for the refusals below: same user, same way of making it.
    assert me_with(api_client, token_for(new_user_id(api_client))) == 200


HOUR_AGO = datetime.now(UTC) - timedelta(hours=1)


@pytest.mark.parametrize(
    "alteration",
    [
        pytest.param({"key": "another-key-that-is-long-enough-for-hs256"}, id="forged"),
        pytest.param({"iat": HOUR_AGO, "exp": HOUR_AGO}, id="expired"),
        pytest.param({"type": "refresh"}, id="wrong-type"),
        pytest.param({"without": "exp"}, id="no-expiry"),
        pytest.param({"sub": "0"}, id="no-such-user"),
    ],
)
def test_bad_tokens_of_a_real_user_are_refused(
    api_client: APIClient, alteration: dict[str, Any]
) -> None:
    # The user exists, so only the token's own checks can refuse it.
    user_id = new_user_id(api_client)
    assert me_with(api_client, token_for(user_id, **alteration)) == 401


def test_a_tampered_token_is_refused(api_client: APIClient) -> None:
    user_id = new_user_id(api_client)
    other_id = new_user_id(api_client)
    header, _, signature = token_for(user_id).split(".")
    # Another real user's claims under this user's signature.
    other_claims = token_for(other_id).split(".")[1]
    assert me_with(api_client, f"{header}.{other_claims}.{signature}") == 401


def test_an_inactive_users_token_is_refused(api_client: APIClient) -> None:
    user_id = new_user_id(api_client)
    User.objects.filter(pk=user_id).update(is_active=False)
    assert me_with(api_client, token_for(user_id)) == 401


def test_login_is_rate_limited(
    api_client: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = 3
    limited = settings.SERVICE_SETTINGS.model_copy(update={"login_rate_limit": limit})
    monkeypatch.setattr(settings, "SERVICE_SETTINGS", limited)
    email = unique_email()
    register(api_client, email)
    for _ in range(limit):
        assert login(api_client, email, "wrong password!").status_code == 401

    # Even the right password waits for the window to close.
    refused = login(api_client, email)
    assert refused.status_code == 429
    window = settings.SERVICE_SETTINGS.login_rate_window_seconds
    assert refused.headers["Retry-After"] == str(window)
    assert refused.json()["detail"] == "Too many attempts; try again later"
