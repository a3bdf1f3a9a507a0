"""Accounts: e-mail is the login; the table matches the FastAPI service's."""

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models

from acme_orders.accounts.hashers import hash_password, verify_password

# The longest address RFC 5321 allows.
MAX_EMAIL_LENGTH = 320


def normalize_email(email: str) -> str:
    return email.strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email=normalize_email(username or ""))

    def create_user(
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        user = self.model(email=normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.CharField(max_length=MAX_EMAIL_LENGTH, unique=True)
    # The FastAPI service's column name and width (argon2 hashes are ~100).
    password = models.CharField(max_length=255, db_column="password_hash")
    is_active = models.BooleanField(default=True)
    # Staff may use the Django admin; nobody else can.
    is_staff = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        db_table = "users"
        ordering = ("id",)

    def __str__(self) -> str:
        return self.email

    # pwdlib's hashes, stored bare (see hashers.py).
    def set_password(self, raw_password: str | None) -> None:
        if raw_password is None:
            self.set_unusable_password()
            return
        self.password = hash_password(raw_password)
        self._password = raw_password

    def check_password(self, raw_password: str | None) -> bool:
        if raw_password is None or not self.has_usable_password():
            return False
        valid, new_hash = verify_password(raw_password, self.password)
        if valid and new_hash is not None and self.pk is not None:
            # Hashing parameters were raised since this password was stored.
            self.password = new_hash
            self.save(update_fields=["password"])
        return valid
