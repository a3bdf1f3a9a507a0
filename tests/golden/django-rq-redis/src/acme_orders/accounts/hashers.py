"""Passwords hashed as the shared code does (auth/security.py: pwdlib's argon2).

The stored value is pwdlib's own ("$argon2id$v=19$m=65536,t=3,p=4$..."), the
same whatever the framework. Django finds a hasher by the text before the
first "$", which is empty for these, so the user model hashes and checks
through ``hash_password``/``verify_password`` below; the Django hasher serves
Django's own ``make_password`` callers, prefixing its name as Django requires.
"""

from typing import Any

from django.contrib.auth.hashers import BasePasswordHasher, mask_hash

from acme_orders.auth import security

hash_password = security.hash_password


def verify_password(password: str, hashed: str) -> tuple[bool, str | None]:
    """Whether the password matches, and a new hash when parameters changed."""
    try:
        return security.verify_password(password, hashed)
    except Exception:  # noqa: BLE001  (an unusable or foreign hash matches nothing)
        return False, None


class PwdlibArgon2Hasher(BasePasswordHasher):
    algorithm = "pwdlib_argon2"

    def salt(self) -> str:
        return ""  # pwdlib draws its own salt

    def encode(self, password: str, salt: str) -> str:
        return f"{self.algorithm}{hash_password(password)}"

    def verify(self, password: str, encoded: str) -> bool:
        return verify_password(password, encoded.removeprefix(self.algorithm))[0]

    def must_update(self, encoded: str) -> bool:
        bare = encoded.removeprefix(self.algorithm)
        return bool(security.password_hash.current_hasher.check_needs_rehash(bare))

    def decode(self, encoded: str) -> dict[str, Any]:
        _, variety, version, params, salt, hashed = encoded.removeprefix(
            self.algorithm
        ).split("$")
        return {
            "algorithm": variety,
            "version": version,
            "params": params,
            "salt": salt,
            "hash": hashed,
        }

    def safe_summary(self, encoded: str) -> dict[Any, Any]:
        decoded = self.decode(encoded)
        return {
            **decoded,
            "salt": mask_hash(decoded["salt"]),
            "hash": mask_hash(decoded["hash"]),
        }

    def harden_runtime(self, password: str, encoded: str) -> None:
        return None  # every argon2 hash costs the same
