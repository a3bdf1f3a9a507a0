"""FastAPI dependencies: the current user from a bearer token, and the rate
limiter of the auth endpoints with its verdicts as HTTP answers."""

from typing import Annotated, cast

from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer

from acme_orders.auth import ratelimit
from acme_orders.auth.models import User
from acme_orders.auth.ratelimit import (
    CounterUnavailableError,
    RateLimitedError,
    RateLimiter,
)
from acme_orders.auth.security import read_access_token
from acme_orders.dependencies import AppRuntime, Session
from acme_orders.http_errors import OUTAGE_RETRY_AFTER_SECONDS
from acme_orders.outage_log import report_outage

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/login")

UNAUTHORIZED = HTTPException(
    status_code=status.HTTP_401_UNAUTHORIZED,
    detail="Invalid or expired token",
    headers={"WWW-Authenticate": "Bearer"},
)


async def current_user(
    runtime: AppRuntime, session: Session, token: Annotated[str, Depends(oauth2_scheme)]
) -> User:
    user_id = read_access_token(token, runtime.settings)
    if user_id is None:
        raise UNAUTHORIZED
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        raise UNAUTHORIZED
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def login_limiter(runtime: AppRuntime) -> RateLimiter:
    """The runtime's auth limiter, built on first use from its settings."""
    return cast(RateLimiter, runtime.shared(ratelimit.login_limiter))


LoginLimiter = Annotated[RateLimiter, Depends(login_limiter)]


async def enforce(limiter: RateLimiter, key: str, *, limit: int | None = None) -> None:
    """The limiter's verdict as HTTP: 429 over the limit, 503 (not a pass)
    when attempts cannot be counted."""
    try:
        await limiter.enforce(key, limit=limit)
    except RateLimitedError as error:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            "Too many attempts; try again later",
            headers={"Retry-After": str(error.retry_after)},
        ) from None
    except CounterUnavailableError as error:
        report_outage("rate-limit store", error.__cause__ or error)
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            "Temporarily unavailable; try again shortly",
            headers={"Retry-After": str(OUTAGE_RETRY_AFTER_SECONDS)},
        ) from None
