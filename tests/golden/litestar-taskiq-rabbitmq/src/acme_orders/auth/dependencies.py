"""Litestar dependencies: the current user from a bearer token, and the rate
limiter of the auth endpoints with its verdicts as HTTP answers."""

from typing import Any, cast

from litestar import Request
from litestar.di import NamedDependency, Provide
from litestar.exceptions import (
    NotAuthorizedException,
    ServiceUnavailableException,
    TooManyRequestsException,
)
from litestar.openapi.spec import Components, OAuthFlow, OAuthFlows, SecurityScheme

from acme_orders.auth import ratelimit
from acme_orders.auth.models import User
from acme_orders.auth.ratelimit import (
    CounterUnavailableError,
    RateLimitedError,
    RateLimiter,
)
from acme_orders.auth.security import bearer_token, read_access_token
from acme_orders.dependencies import AppRuntime, Session
from acme_orders.http_errors import OUTAGE_RETRY_AFTER_SECONDS
from acme_orders.outage_log import report_outage

# Where clients get their tokens (auth/controller.py).
LOGIN_PATH = "/auth/login"
# OAuth2's password flow with bearer tokens, as the OpenAPI schema names it:
# operations that need a token list BEARER_SECURITY.
BEARER_SCHEME = "OAuth2PasswordBearer"
SECURITY_COMPONENTS = Components(
    security_schemes={
        BEARER_SCHEME: SecurityScheme(
            type="oauth2",
            flows=OAuthFlows(password=OAuthFlow(token_url=LOGIN_PATH, scopes={})),
        )
    }
)
BEARER_SECURITY: list[dict[str, list[str]]] = [{BEARER_SCHEME: []}]
# RFC 6750: a refusal names the scheme the client must use.
CHALLENGE = {"WWW-Authenticate": "Bearer"}


async def current_user(
    request: Request[Any, Any, Any], runtime: AppRuntime, session: Session
) -> User:
    token = bearer_token(request.headers.get("authorization"))
    user_id = read_access_token(token, runtime.settings) if token else None
    user = await session.get(User, user_id) if user_id is not None else None
    if user is None or not user.is_active:
        raise NotAuthorizedException("Invalid or expired token", headers=CHALLENGE)
    return user


def login_limiter(runtime: AppRuntime) -> RateLimiter:
    """The runtime's auth limiter, built on first use from its settings."""
    return cast(RateLimiter, runtime.shared(ratelimit.login_limiter))


# What a handler or dependency names to get them (injected by name).
CURRENT_USER = {"user": Provide(current_user)}
DEPENDENCIES = {
    **CURRENT_USER,
    "limiter": Provide(login_limiter, sync_to_thread=False),
}
CurrentUser = NamedDependency[User]
LoginLimiter = NamedDependency[RateLimiter]


async def enforce(limiter: RateLimiter, key: str, *, limit: int | None = None) -> None:
    """The limiter's verdict as HTTP: 429 over the limit, 503 (not a pass)
    when attempts cannot be counted."""
    try:
        await limiter.enforce(key, limit=limit)
    except RateLimitedError as error:
        raise TooManyRequestsException(
            "Too many attempts; try again later",
            headers={"Retry-After": str(error.retry_after)},
        ) from None
    except CounterUnavailableError as error:
        report_outage("rate-limit store", error.__cause__ or error)
        raise ServiceUnavailableException(
            "Temporarily unavailable; try again shortly",
            headers={"Retry-After": str(OUTAGE_RETRY_AFTER_SECONDS)},
        ) from None
