"""Typed settings, read once from the environment (and a local .env file).

Every variable is documented in .env.example. ENVIRONMENT must be set: a
deployment that forgets it is refused rather than run with development
defaults. Outside development the settings refuse placeholder secrets and
unsafe values, naming the variable at fault, so a misconfigured deployment
fails at start-up instead of later. No message ever repeats a value: URLs
and keys are secrets.
"""

from enum import StrEnum
from functools import lru_cache
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Values that only ever belong in examples and local development.
PLACEHOLDER_SECRETS = frozenset({"", "change-me", "changeme", "secret", "password"})
MIN_SECRET_LENGTH = 32


def is_weak_secret(secret: SecretStr) -> bool:
    """True for a placeholder or a value too short to resist guessing."""
    value = secret.get_secret_value()
    return value.lower() in PLACEHOLDER_SECRETS or len(value) < MIN_SECRET_LENGTH


def url_problem(url: str, schemes: frozenset[str], *, needs_host: bool) -> str:
    """What is wrong with ``url`` (never quoting it), or "" when it is usable."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a port that is no number)
    except ValueError:
        return "is not a valid URL (check the port and any special characters)"
    if parts.scheme not in schemes:
        return "must start with " + " or ".join(f"{s}://" for s in sorted(schemes))
    if needs_host and not parts.hostname:
        return "names no host"
    return ""


def url_check(schemes: set[str], *, needs_host: bool = True) -> AfterValidator:
    """A field validator refusing URLs that ``url_problem`` finds fault with."""

    def check(url: str) -> str:
        problem = url_problem(url, frozenset(schemes), needs_host=needs_host)
        if problem:
            raise ValueError(problem)
        return url

    return AfterValidator(check)


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


MISSING_HINTS = {
    "ENVIRONMENT": (
        "is not set: say development on a workstation (as the generated .env"
        " does) and production in deployments"
    ),
}


class SettingsError(Exception):
    """Settings the service cannot start with.

    The message names each variable and the rule it breaks, one per line,
    and never the value given.
    """


class Settings(BaseSettings):
    # Validation errors must not carry input values: they include secrets.
    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", hide_input_in_errors=True
    )

    # No default: development is chosen explicitly (the rendered .env does),
    # never assumed for a deployment that forgot to say.
    environment: Environment
    debug: bool = False
    log_level: str = "INFO"

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    web_concurrency: int = Field(default=1, ge=1)
    # Proxies whose X-Forwarded-For/-Proto headers are believed (comma-separated
    # addresses or networks such as 10.0.0.0/8, or * behind a proxy that always
    # sets them). Rate limits key on the client address, so set this to your
    # load balancer's address (on Kubernetes: the pod network).
    forwarded_allow_ips: str = "127.0.0.1"

    # Comma-separated allow-list of browser origins.
    cors_origins: Annotated[list[str], NoDecode] = ["http://localhost:3000"]

    # Larger request bodies are refused with 413 before they are read.
    max_request_body_bytes: int = Field(default=1024 * 1024, ge=1)
    # A client must send a request's headers, then its body, within these
    # times, so slow senders cannot hold connections open.
    request_header_timeout_seconds: float = Field(default=10.0, gt=0)
    request_body_timeout_seconds: float = Field(default=30.0, gt=0)
    # After SIGTERM, readiness answers 503 for this long while requests are
    # still served, so load balancers stop sending new ones first.
    shutdown_drain_seconds: float = Field(default=5.0, ge=0)

    # Host headers Django answers (comma-separated); "*" answers any, for a
    # service that only a load balancer reaches. Name your domains otherwise.
    allowed_hosts: Annotated[list[str], NoDecode] = ["*"]
    # Where the Django admin lives (staff accounts only); empty turns it off.
    admin_path: str = "admin/"
    # Seconds a database connection is kept for later requests (0: one each).
    database_conn_max_age: int = Field(default=60, ge=0)

    # Plain URL (postgresql://, mysql://, sqlite:///); the data layer picks the driver.
    database_url: Annotated[
        str,
        url_check({"postgresql", "postgres"}, needs_host=True),
    ] = "postgresql://app:app@localhost:5432/app"

    # The task queue's broker, RabbitMQ: a plain amqp:// URL.
    broker_url: Annotated[
        str,
        url_check({"amqp", "amqps"}),
    ] = "amqp://app:app@localhost:5672//"
    # The broker's queue for this service's tasks (several services, or test
    # runs, may share a broker).
    task_queue: str = Field(default="acme-orders", min_length=1, max_length=200)
    # Tasks one worker runs at once (processes or threads, as the queue runs them).
    worker_concurrency: int = Field(default=2, ge=1)
    # A task that a worker took but never finished (the worker died) goes to
    # another worker after this long: it must exceed the longest task. Over
    # RabbitMQ such a task comes back as soon as the dead worker's connection
    # drops; this bounds it on Redis.
    task_visibility_timeout_seconds: int = Field(default=3600, ge=1)
    # Deliveries of one task before it is set aside as dead: a task that
    # kills its worker would otherwise come back for ever.
    task_max_deliveries: int = Field(default=10, ge=1)

    secret_key: SecretStr = SecretStr("change-me")

    access_token_expire_minutes: int = Field(default=15, ge=1, le=24 * 60)
    login_rate_limit: int = Field(default=5, ge=1)
    login_rate_window_seconds: int = Field(default=60, ge=1)

    # Port of the listener that serves /metrics (and nothing else); 9464 is
    # the port OpenTelemetry's Prometheus exporter uses by convention.
    metrics_port: int = Field(default=9464, ge=1, le=65535)

    @model_validator(mode="before")
    @classmethod
    def split_comma_lists(cls, data: dict[str, object]) -> dict[str, object]:
        """The comma-separated variables (lists marked NoDecode) as lists."""
        for name, field in cls.model_fields.items():
            value = data.get(name)
            if isinstance(value, str) and NoDecode in field.metadata:
                data[name] = [part.strip() for part in value.split(",") if part.strip()]
        return data

    @model_validator(mode="after")
    def refuse_unsafe_values(self) -> "Settings":
        # Only development tolerates placeholders: test and production are
        # held to the same rules.
        if self.environment is Environment.DEVELOPMENT:
            return self
        problems = self.production_problems()
        if problems:
            raise ValueError("; ".join(problems))
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


def describe(error: ValidationError) -> str:
    """One line per problem: the variable and the rule, never the value."""
    lines = []
    for problem in error.errors(include_input=False, include_url=False):
        variable = "_".join(str(part) for part in problem["loc"]).upper()
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "missing":
            message = MISSING_HINTS.get(variable, "is not set")
        lines.append(f"{variable} {message}" if variable else message)
    return "\n".join(lines)


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, built on first use.

    Raises SettingsError, whose message is safe to print and log.
    """
    try:
        return Settings()
    except ValidationError as error:
        # "from None": the original error would drag the input into tracebacks.
        raise SettingsError(describe(error)) from None
