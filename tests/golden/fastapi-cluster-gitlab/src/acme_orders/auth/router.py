"""HTTP routes: register, log in (OAuth2 password flow), and who am I."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from acme_orders.auth import service
from acme_orders.auth.dependencies import CurrentUser, LoginLimiter, enforce
from acme_orders.auth.schemas import (
    MAX_EMAIL_LENGTH,
    Token,
    UserCreate,
    UserRead,
)
from acme_orders.auth.security import create_access_token
from acme_orders.dependencies import AppRuntime, Session

router = APIRouter(prefix="/auth", tags=["auth"])

# A client may make this many times the per-account login attempts in total.
CLIENT_LIMIT_FACTOR = 4
RATE_LIMITED: dict[int | str, dict[str, Any]] = {
    status.HTTP_429_TOO_MANY_REQUESTS: {"description": "Too many attempts"},
    status.HTTP_503_SERVICE_UNAVAILABLE: {"description": "Attempts cannot be counted"},
}


def client_address(request: Request) -> str:
    # The proxy's address unless FORWARDED_ALLOW_IPS trusts the proxy (see
    # settings), in which case uvicorn puts the client's own address here.
    return request.client.host if request.client else "unknown"


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    responses={
        status.HTTP_409_CONFLICT: {"description": "E-mail already registered"},
        **RATE_LIMITED,
    },
)
async def register(
    request: Request,
    session: Session,
    data: UserCreate,
    limiter: LoginLimiter,
) -> UserRead:
    # Each registration costs a full password hash: limit it per client.
    await enforce(limiter, f"register:{client_address(request)}")
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
        **RATE_LIMITED,
    },
)
async def login(
    request: Request,
    runtime: AppRuntime,
    session: Session,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    limiter: LoginLimiter,
) -> Token:
    client = client_address(request)
    account = service.normalize_email(form.username)[:MAX_EMAIL_LENGTH]
    # Per account from this client, and for the client as a whole, so one
    # address cannot try a password against many accounts either.
    await enforce(limiter, f"login:{client}:{account}")
    await enforce(limiter, f"login:{client}", limit=limiter.limit * CLIENT_LIMIT_FACTOR)
    user = await service.authenticate(session, form.username, form.password)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Wrong e-mail or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    settings = runtime.settings
    return Token(
        access_token=create_access_token(user.id, settings),
        expires_in=settings.access_token_expire_minutes * 60,
    )


@router.get("/me")
async def me(user: CurrentUser) -> UserRead:
    return UserRead.model_validate(user)
