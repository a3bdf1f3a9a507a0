"""HTTP routes: register, log in (OAuth2 password flow), and who am I."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from acme_orders.auth import service
from acme_orders.auth.dependencies import CurrentUser
from acme_orders.auth.ratelimit import RateLimiter, login_limiter
from acme_orders.auth.schemas import Token, UserCreate, UserRead
from acme_orders.auth.security import create_access_token
from acme_orders.db import Session
from acme_orders.settings import Settings

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    responses={status.HTTP_409_CONFLICT: {"description": "E-mail already registered"}},
)
async def register(session: Session, data: UserCreate) -> UserRead:
    try:
        user = await service.register(session, data)
    except service.EmailTakenError:
        raise HTTPException(
            status.HTTP_409_CONFLICT, "This e-mail address is already registered"
        ) from None
    return UserRead.model_validate(user)


@router.post(
    "/login",
    responses={
        status.HTTP_401_UNAUTHORIZED: {"description": "Wrong e-mail or password"},
        status.HTTP_429_TOO_MANY_REQUESTS: {"description": "Too many attempts"},
    },
)
async def login(
    request: Request,
    session: Session,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    limiter: Annotated[RateLimiter, Depends(login_limiter)],
) -> Token:
    client = request.client.host if request.client else "unknown"
    key = f"{client}:{service.normalize_email(form.username)[:320]}"
    if not await limiter.allow(key):
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            "Too many login attempts; try again later",
            headers={"Retry-After": str(limiter.window_seconds)},
        )
    user = await service.authenticate(session, form.username, form.password)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Wrong e-mail or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    settings: Settings = request.app.state.settings
    return Token(
        access_token=create_access_token(user.id, settings),
        expires_in=settings.access_token_expire_minutes * 60,
    )


@router.get("/me")
async def me(user: CurrentUser) -> UserRead:
    return UserRead.model_validate(user)
