"""FastAPI dependencies: the current user from a bearer token, and the rate
limiter of the auth endpoints with its verdicts as HTTP answers."""

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer

from acme_orders.auth.models import User
from acme_orders.auth.ratelimit import (
    CounterUnavailableError,
    MemoryCounter,
    RateLimitedError,
    RateLimiter,
)
from acme_orders.auth.security import read_access_token
from acme_orders.db import Session
from acme_orders.resources import OUTAGE_RETRY_AFTER_SECONDS, report_outage
from acme_orders.settings import Settings

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/login")

UNAUTHORIZED = HTTPException(
    status_code=status.HTTP_401_UNAUTHORIZED,
    detail="Invalid or expired token",
    headers={"WWW-Authenticate": "Bearer"},
)


async def current_user(
    request: Request, session: Session, token: Annotated[str, Depends(oauth2_scheme)]
) -> User:
    user_id = read_access_token(token, request.app.state.settings)
    if user_id is None:
        raise UNAUTHORIZED
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        raise UNAUTHORIZED
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def login_limiter(request: Request) -> RateLimiter:
    """The app's auth limiter, built on first use from its settings."""
    state = request.app.state
    if not hasattr(state, "login_limiter"):
        settings: Settings = state.settings
        state.login_limiter = RateLimiter(
            MemoryCounter(),
            limit=settings.login_rate_limit,
            window_seconds=settings.login_rate_window_seconds,
        )
    limiter: RateLimiter = state.login_limiter
    return limiter


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
