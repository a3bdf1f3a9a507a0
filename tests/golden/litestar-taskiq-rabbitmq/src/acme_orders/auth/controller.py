"""HTTP routes: register, log in (OAuth2 password flow), and who am I."""

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import ClientException, NotAuthorizedException
from litestar.openapi import ResponseSpec
from litestar.params import JSONBody, URLEncodedBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_409_CONFLICT
from pydantic import BaseModel

from acme_orders.auth import service
from acme_orders.auth.dependencies import (
    BEARER_SECURITY,
    CHALLENGE,
    DEPENDENCIES,
    CurrentUser,
    LoginLimiter,
    enforce,
)
from acme_orders.auth.schemas import MAX_EMAIL_LENGTH, Token, UserCreate, UserRead
from acme_orders.auth.security import create_access_token
from acme_orders.dependencies import AppRuntime, Session

# A client may make this many times the per-account login attempts in total.
CLIENT_LIMIT_FACTOR = 4
RATE_LIMITED = {
    429: ResponseSpec(None, description="Too many attempts"),
    503: ResponseSpec(None, description="Attempts cannot be counted"),
}


class LoginForm(BaseModel):
    """OAuth2's password request (RFC 6749, 4.3.2); its other fields are
    accepted and ignored."""

    username: str
    password: str


def client_address(request: Request[Any, Any, Any]) -> str:
    # The proxy's address unless FORWARDED_ALLOW_IPS trusts the proxy (see
    # settings), in which case uvicorn puts the client's own address here.
    return request.client.host if request.client else "unknown"


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]  # noqa: RUF012  (Litestar reads it as a plain list)
    dependencies = DEPENDENCIES

    @post(
        "/register",
        operation_id="register",
        status_code=HTTP_201_CREATED,
        responses={
            409: ResponseSpec(None, description="E-mail already registered"),
            **RATE_LIMITED,
        },
    )
    async def register(
        self,
        request: Request[Any, Any, Any],
        session: Session,
        data: JSONBody[UserCreate],
        limiter: LoginLimiter,
    ) -> UserRead:
        # Each registration costs a full password hash: limit it per client.
        await enforce(limiter, f"register:{client_address(request)}")
        try:
            user = await service.register(session, data)
        except service.EmailTakenError:
            raise ClientException(
                "This e-mail address is already registered",
                status_code=HTTP_409_CONFLICT,
            ) from None
        return UserRead.model_validate(user)

    @post(
        "/login",
        operation_id="login",
        status_code=200,
        responses={
            401: ResponseSpec(None, description="Wrong e-mail or password"),
            **RATE_LIMITED,
        },
    )
    async def login(
        self,
        request: Request[Any, Any, Any],
        runtime: AppRuntime,
        session: Session,
        data: URLEncodedBody[LoginForm],
        limiter: LoginLimiter,
    ) -> Token:
        client = client_address(request)
        account = service.normalize_email(data.username)[:MAX_EMAIL_LENGTH]
        # Per account from this client, and for the client as a whole, so one
        # address cannot try a password against many accounts either.
        await enforce(limiter, f"login:{client}:{account}")
        await enforce(
            limiter, f"login:{client}", limit=limiter.limit * CLIENT_LIMIT_FACTOR
        )
        user = await service.authenticate(session, data.username, data.password)
        if user is None:
            raise NotAuthorizedException("Wrong e-mail or password", headers=CHALLENGE)
        settings = runtime.settings
        return Token(
            access_token=create_access_token(user.id, settings),
            expires_in=settings.access_token_expire_minutes * 60,
        )

    @get("/me", operation_id="me", security=BEARER_SECURITY)
    async def me(self, user: CurrentUser) -> UserRead:
        return UserRead.model_validate(user)
