"""Helpers for tests that need an account, or a logged-in client."""

import uuid
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from rest_framework.test import APIClient

if TYPE_CHECKING:
    # What the test client answers: a response with .json() (stubs only).
    from rest_framework.response import _MonkeyPatchedResponse as Response

PASSWORD = "correct horse battery staple"


def unique_email() -> str:
    return f"user-{uuid.uuid4().hex[:12]}@example.com"


def register(client: APIClient, email: str, password: str = PASSWORD) -> "Response":
    return client.post("/auth/register", {"email": email, "password": password})


def login(client: APIClient, email: str, password: str = PASSWORD) -> "Response":
    """The OAuth2 password flow: a form, not JSON."""
    return client.post(
        "/auth/login",
        urlencode({"username": email, "password": password}),
        content_type="application/x-www-form-urlencoded",
    )


def log_in(client: APIClient, email: str | None = None) -> str:
    """Register an account (a new one unless ``email`` is given), log in and
    send its token with every later request of ``client``; return the e-mail."""
    email = email or unique_email()
    registered = register(client, email)
    assert registered.status_code == 201, registered.content
    token = login(client, email)
    assert token.status_code == 200, token.content
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")
    return email
