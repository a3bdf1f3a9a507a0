"""Typed settings, read once from the environment (and a local .env file).

Every variable is documented in .env.example. Outside development the
settings refuse placeholder secrets and unsafe values, naming the variable
at fault, so a misconfigured deployment fails at start-up instead of later.
"""

from enum import StrEnum
from functools import lru_cache
from typing import Annotated

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Values that only ever belong in examples and local development.
PLACEHOLDER_SECRETS = frozenset({"", "change-me", "changeme", "secret", "password"})
MIN_SECRET_LENGTH = 32


def is_weak_secret(secret: SecretStr) -> bool:
    """True for a placeholder or a value too short to resist guessing."""
    value = secret.get_secret_value()
    return value.lower() in PLACEHOLDER_SECRETS or len(value) < MIN_SECRET_LENGTH


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    debug: bool = False
    log_level: str = "INFO"

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    web_concurrency: int = Field(default=1, ge=1)
    # Proxies whose X-Forwarded-For/-Proto headers are believed (comma-separated
    # addresses, or * behind a proxy that always sets them). Rate limits key
    # on the client address, so set this to your load balancer's address.
    forwarded_allow_ips: str = "127.0.0.1"

    # Comma-separated allow-list of browser origins.
    cors_origins: Annotated[list[str], NoDecode] = ["http://localhost:3000"]

    # Plain URL (postgresql://, mysql://, sqlite:///); db.py picks the driver.
    database_url: str = "sqlite:///./data/app.db"

    secret_key: SecretStr = SecretStr("change-me")
    access_token_expire_minutes: int = Field(default=15, ge=1, le=24 * 60)
    login_rate_limit: int = Field(default=5, ge=1)
    login_rate_window_seconds: int = Field(default=60, ge=1)

    @model_validator(mode="before")
    @classmethod
    def split_cors_origins(cls, data: dict[str, object]) -> dict[str, object]:
        origins = data.get("cors_origins")
        if isinstance(origins, str):
            data["cors_origins"] = [o.strip() for o in origins.split(",") if o.strip()]
        return data

    @model_validator(mode="after")
    def refuse_unsafe_values(self) -> "Settings":
        # Only development tolerates placeholders: a deployment that forgets
        # ENVIRONMENT (or says test or staging) is held to production rules.
        if self.environment is Environment.DEVELOPMENT:
            return self
        problems = self.production_problems()
        if problems:
            raise ValueError(
                "unsafe settings outside development: " + "; ".join(problems)
            )
        return self

    def production_problems(self) -> list[str]:
        """Each value unsafe outside development, named by its variable."""
        problems = []
        if self.debug:
            problems.append("DEBUG must be false outside development")
        if "*" in self.cors_origins:
            problems.append(
                "CORS_ORIGINS must list origins, not '*', outside development"
            )

        if is_weak_secret(self.secret_key):
            problems.append(
                f"SECRET_KEY must be a random value of {MIN_SECRET_LENGTH}+ characters"
                " (python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )

        return problems


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, built on first use."""
    return Settings()
