"""HTTP routes: register, log in (OAuth2 password flow), and who am I."""

from apiflask import APIFlask, abort
from flask import request
from pydantic import BaseModel

from acme_orders import forwarded
from acme_orders.auth import service
from acme_orders.auth.current_user import (
    BEARER_SECURITY,
    CHALLENGE,
    SECURITY_SCHEMES,
    current_user,
    enforce,
    login_limiter,
)
from acme_orders.auth.schemas import MAX_EMAIL_LENGTH, Token, UserCreate, UserRead
from acme_orders.auth.security import create_access_token
from acme_orders.dependencies import current_runtime, session
from acme_orders.validation import api_blueprint

blueprint = api_blueprint("auth", __name__, url_prefix="/auth", tag="auth")

# A client may make this many times the per-account login attempts in total.
CLIENT_LIMIT_FACTOR = 4
RATE_LIMITED = {429: "Too many attempts", 503: "Attempts cannot be counted"}


class LoginForm(BaseModel):
    """OAuth2's password request (RFC 6749, 4.3.2); its other fields are
    accepted and ignored."""

    username: str
    password: str


def client_address() -> str:
    """The client's address, behind the proxies FORWARDED_ALLOW_IPS trusts."""
    return forwarded.client_address(
        request.remote_addr,
        request.headers.get("X-Forwarded-For", ""),
        current_runtime().settings.forwarded_allow_ips,
    )


@blueprint.post("/register")
@blueprint.input(UserCreate, location="json", arg_name="data")
@blueprint.output(UserRead, status_code=201)
@blueprint.doc(
    operation_id="register",
    responses={409: "E-mail already registered", **RATE_LIMITED},
)
def register(data: UserCreate) -> UserRead:
    # Each registration costs a full password hash: limit it per client.
    enforce(login_limiter(), f"register:{client_address()}")
    try:
        user = service.register(session(), data)
    except service.EmailTakenError:
        abort(409, "This e-mail address is already registered")
    return UserRead.model_validate(user)


@blueprint.post("/login")
@blueprint.input(LoginForm, location="form", arg_name="form")
@blueprint.output(Token)
@blueprint.doc(
    operation_id="login",
    responses={401: "Wrong e-mail or password", **RATE_LIMITED},
)
def login(form: LoginForm) -> Token:
    limiter = login_limiter()
    client = client_address()
    account = service.normalize_email(form.username)[:MAX_EMAIL_LENGTH]
    # Per account from this client, and for the client as a whole, so one
    # address cannot try a password against many accounts either.
    enforce(limiter, f"login:{client}:{account}")
    enforce(limiter, f"login:{client}", limit=limiter.limit * CLIENT_LIMIT_FACTOR)
    user = service.authenticate(session(), form.username, form.password)
    if user is None:
        abort(401, "Wrong e-mail or password", headers=CHALLENGE)
    settings = current_runtime().settings
    return Token(
        access_token=create_access_token(user.id, settings),
        expires_in=settings.access_token_expire_minutes * 60,
    )


@blueprint.get("/me")
@blueprint.output(UserRead)
@blueprint.doc(operation_id="me", security=BEARER_SECURITY)
def me() -> UserRead:
    return UserRead.model_validate(current_user())


def install(app: APIFlask) -> None:
    """The auth routes, and the token scheme their schema names."""
    app.security_schemes = SECURITY_SCHEMES
    app.register_blueprint(blueprint)
