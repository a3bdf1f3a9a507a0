"""The caller, from a bearer token, and the rate limiter of the auth
endpoints with its verdicts as HTTP answers."""

import functools
from collections.abc import Callable
from typing import Any, cast

from apiflask import abort
from flask import g, request

from acme_orders.auth import ratelimit
from acme_orders.auth.models import User
from acme_orders.auth.ratelimit import (
    CounterUnavailableError,
    RateLimitedError,
    RateLimiter,
)
from acme_orders.auth.security import bearer_token, read_access_token
from acme_orders.dependencies import current_runtime, session
from acme_orders.http_errors import OUTAGE_RETRY_AFTER_SECONDS
from acme_orders.outage_log import report_outage

# Where clients get their tokens (auth/views.py).
LOGIN_PATH = "/auth/login"
# OAuth2's password flow with bearer tokens, as the OpenAPI schema names it:
# operations that need a token list BEARER_SECURITY.
BEARER_SCHEME = "OAuth2PasswordBearer"
SECURITY_SCHEMES = {
    BEARER_SCHEME: {
        "type": "oauth2",
        "flows": {"password": {"tokenUrl": LOGIN_PATH, "scopes": {}}},
    }
}
BEARER_SECURITY: list[str | dict[str, list[Any]]] = [{BEARER_SCHEME: []}]
# RFC 6750: a refusal names the scheme the client must use.
CHALLENGE = {"WWW-Authenticate": "Bearer"}


def current_user() -> User:
    """The user of this request's token, or a 401 answer."""
    if "user" not in g:
        token = bearer_token(request.headers.get("Authorization"))
        settings = current_runtime().settings
        user_id = read_access_token(token, settings) if token else None
        user = session().get(User, user_id) if user_id is not None else None
        if user is None or not user.is_active:
            abort(401, "Invalid or expired token", headers=CHALLENGE)
        g.user = user
    return cast(User, g.user)


def authenticated(view: Callable[..., Any]) -> Callable[..., Any]:
    """The view, answered 401 without a valid token before anything else
    (the request's body and parameters included) is looked at."""

    @functools.wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        current_user()
        return view(*args, **kwargs)

    return checked


def login_limiter() -> RateLimiter:
    """The runtime's auth limiter, built on first use from its settings."""
    return cast(RateLimiter, current_runtime().shared(ratelimit.login_limiter))


def enforce(limiter: RateLimiter, key: str, *, limit: int | None = None) -> None:
    """The limiter's verdict as HTTP: 429 over the limit, 503 (not a pass)
    when attempts cannot be counted."""
    try:
        limiter.enforce(key, limit=limit)
    except RateLimitedError as error:
        abort(
            429,
            "Too many attempts; try again later",
            headers={"Retry-After": str(error.retry_after)},
        )
    except CounterUnavailableError as error:
        report_outage("rate-limit store", error.__cause__ or error)
        abort(
            503,
            "Temporarily unavailable; try again shortly",
            headers={"Retry-After": str(OUTAGE_RETRY_AFTER_SECONDS)},
        )
