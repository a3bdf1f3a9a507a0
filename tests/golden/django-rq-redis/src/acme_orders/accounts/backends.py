"""Log-in by e-mail: Django's ModelBackend with the FastAPI service's rules."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from acme_orders.accounts.models import MAX_EMAIL_LENGTH, User

MAX_PASSWORD_LENGTH = 128


class EmailBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        if (
            len(password) > MAX_PASSWORD_LENGTH
            or len(username) > MAX_EMAIL_LENGTH
            or "\x00" in username
        ):
            # No stored account matches: spend neither a hash nor a query.
            return None
        # ModelBackend hashes for unknown accounts too (timing parity), and
        # upgrades a hash whose parameters were raised since it was stored.
        user = super().authenticate(request, username=username, password=password)
        return user if isinstance(user, User) else None
