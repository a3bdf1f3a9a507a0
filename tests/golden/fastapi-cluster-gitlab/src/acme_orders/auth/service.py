"""Account use cases: registration and credential checks."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from acme_orders.auth import security
from acme_orders.auth.models import User
from acme_orders.auth.schemas import (
    MAX_EMAIL_LENGTH,
    MAX_PASSWORD_LENGTH,
    UserCreate,
)
from acme_orders.concurrency import cpu_bound


class EmailTakenError(Exception):
    """An account with this e-mail address exists already."""


def normalize_email(email: str) -> str:
    return email.strip().lower()


def is_storable_email(email: str) -> bool:
    """False for input no account can have (PostgreSQL also rejects NUL)."""
    return len(email) <= MAX_EMAIL_LENGTH and "\x00" not in email


async def register(session: AsyncSession, data: UserCreate) -> User:
    user = User(
        email=normalize_email(data.email),
        password_hash=await cpu_bound(security.hash_password, data.password),
    )
    session.add(user)
    try:
        await session.commit()
    except IntegrityError as exc:
        await session.rollback()
        raise EmailTakenError from exc
    await session.refresh(user)
    return user


async def authenticate(session: AsyncSession, email: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    if len(password) > MAX_PASSWORD_LENGTH or not is_storable_email(email):
        # No stored account matches; do not spend a hash (or a query) on it.
        return None
    user = await session.scalar(
        select(User).where(User.email == normalize_email(email)),
    )
    # The hash is checked even without a user, so the answer takes as long
    # whether or not the account exists.
    valid, new_hash = await cpu_bound(
        security.verify_password,
        password,
        user.password_hash if user else None,
    )
    if user is None or not valid or not user.is_active:
        return None
    if new_hash is not None:
        # Hashing parameters were raised since this password was stored.
        user.password_hash = new_hash
        await session.commit()
    return user
