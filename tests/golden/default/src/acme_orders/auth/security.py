"""Password hashing (argon2) and signed, expiring access tokens (JWT)."""

from datetime import UTC, datetime, timedelta
from functools import cache

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from acme_orders.settings import Settings

ALGORITHM = "HS256"
ACCESS_CLAIM = "access"

password_hash = PasswordHash((Argon2Hasher(),))


@cache
def dummy_hash() -> str:
    """A hash to verify against when the e-mail is unknown.

    A login then takes as long whether or not the account exists. Built on
    first use: hashing at import time would slow every start-up and command.
    """
    return password_hash.hash("dummy password for timing parity")


def hash_password(password: str) -> str:
    return password_hash.hash(password)


def verify_password(password: str, hashed: str | None) -> tuple[bool, str | None]:
    """Whether the password matches, and a new hash when parameters changed."""
    if hashed is None:
        password_hash.verify(password, dummy_hash())
        return False, None
    return password_hash.verify_and_update(password, hashed)


def create_access_token(user_id: int, settings: Settings) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "type": ACCESS_CLAIM,
        "iat": now,
        "exp": now + timedelta(minutes=settings.access_token_expire_minutes),
    }
    return jwt.encode(claims, settings.secret_key.get_secret_value(), ALGORITHM)


def read_access_token(token: str, settings: Settings) -> int | None:
    """The user id in a valid, unexpired access token; None otherwise."""
    try:
        claims = jwt.decode(
            token,
            settings.secret_key.get_secret_value(),
            algorithms=[ALGORITHM],
            options={"require": ["sub", "exp", "iat"]},
        )
    except jwt.InvalidTokenError:
        return None
    if claims.get("type") != ACCESS_CLAIM:
        return None
    try:
        return int(claims["sub"])
    except (TypeError, ValueError):
        return None
