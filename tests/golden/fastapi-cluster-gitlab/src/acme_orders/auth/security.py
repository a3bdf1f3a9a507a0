"""Password hashing (argon2) and signed, expiring access tokens (JWT).

The same hashes and tokens whatever the framework. Hashing takes a third of
a second and 64 MiB on purpose: async code runs it on worker threads, never
on an event loop (concurrency.cpu_bound, called by auth/service.py).
"""

from datetime import UTC, datetime, timedelta
from functools import cache

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from acme_orders.ids import MAX_ID
from acme_orders.lifecycle import run_key
from acme_orders.settings import Settings, is_weak_secret

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
    """Whether the password matches, and a new hash when parameters changed.

    With no stored hash (no such account) the same work is done against a
    dummy hash, so the answer takes as long either way.
    """
    if hashed is None:
        password_hash.verify(password, dummy_hash())
        return False, None
    return password_hash.verify_and_update(password, hashed)


def signing_key(settings: Settings) -> str:
    """The key access tokens are signed and checked with.

    A placeholder SECRET_KEY is public, so tokens signed with it could be
    forged: in development the service signs with a random key of its own
    instead, shared by its workers (tokens then last as long as the run).
    Outside development the settings refuse a placeholder at start-up.
    """
    if is_weak_secret(settings.secret_key):
        return run_key()
    return settings.secret_key.get_secret_value()


def create_access_token(user_id: int, settings: Settings) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "type": ACCESS_CLAIM,
        "iat": now,
        "exp": now + timedelta(minutes=settings.access_token_expire_minutes),
    }
    return jwt.encode(claims, signing_key(settings), ALGORITHM)


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    scheme, _, token = (authorization or "").partition(" ")
    return token if scheme.lower() == "bearer" and token else None


def read_access_token(token: str, settings: Settings) -> int | None:
    """The user id in a valid, unexpired access token; None otherwise."""
    try:
        claims = jwt.decode(
            token,
            signing_key(settings),
            algorithms=[ALGORITHM],
            options={"require": ["sub", "exp", "iat"]},
        )
    except jwt.InvalidTokenError:
        return None
    if claims.get("type") != ACCESS_CLAIM:
        return None
    return _user_id(claims["sub"])


def _user_id(subject: object) -> int | None:
    """The id a ``sub`` claim names, when it is exactly a positive id in range.

    Strict on purpose: int() would take " 7", "+7" or "7_0", and an id past
    the column's range would reach the database as an overflow error.
    """
    if not isinstance(subject, str) or not subject.isascii() or not subject.isdigit():
        return None
    if subject.startswith("0") or len(subject) > len(str(MAX_ID)):
        return None
    user_id = int(subject)
    return user_id if user_id <= MAX_ID else None
