"""Helpers for tests that need a logged-in user."""

import uuid

import httpx

PASSWORD = "correct horse battery staple"


def unique_email() -> str:
    return f"user-{uuid.uuid4().hex[:12]}@example.com"


async def auth_headers(
    client: httpx.AsyncClient,
    email: str | None = None,
) -> dict[str, str]:
    """Register a user (a new one unless ``email`` is given) and log in."""
    email = email or unique_email()
    registered = await client.post(
        "/auth/register", json={"email": email, "password": PASSWORD}
    )
    assert registered.status_code == 201, registered.text
    login = await client.post(
        "/auth/login",
        data={"username": email, "password": PASSWORD},
    )
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}
