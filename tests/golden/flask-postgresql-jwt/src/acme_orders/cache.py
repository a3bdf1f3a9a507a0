"""Redis seam: one client per runtime, shared by the rate limiter and any caching."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from acme_orders.runtime import Resource, Runtime
from acme_orders.settings import Settings

NAME = "redis"
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    RedisConnectionError,
    RedisTimeoutError,
)


def is_outage(error: BaseException) -> bool:
    """Whether ``error`` means Redis cannot be reached right now."""
    return isinstance(error, OUTAGE_ERRORS)


def create_client(settings: Settings) -> "Redis":
    # Short timeouts: a slow Redis must fail the request, not hang it. After
    # a Redis restart every pooled connection is dead: one immediate retry
    # on a fresh connection keeps that from failing requests.
    return Redis.from_url(
        settings.redis_url,
        socket_timeout=2.0,
        socket_connect_timeout=2.0,
        health_check_interval=30,
        retry=Retry(NoBackoff(), retries=1),
        retry_on_error=[RedisConnectionError, RedisTimeoutError],
    )


@contextmanager
def connect(settings: Settings) -> Iterator[Redis]:
    client = create_client(settings)
    try:
        yield client
    finally:
        client.close()


def ping(client: Redis) -> None:
    client.ping()


RESOURCE = Resource(NAME, connect, ping, is_outage)


def client(runtime: Runtime) -> Redis:
    """This runtime's Redis client."""
    return cast(Redis, runtime.handle(RESOURCE))
