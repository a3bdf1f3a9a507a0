"""Which dependency an error says is unreachable: such errors answer 503
with Retry-After, never 500."""

from django.db import InterfaceError, OperationalError
from redis.exceptions import RedisError


def outage_of(error: BaseException) -> str | None:
    """The dependency whose outage ``error`` reports, or None."""
    if isinstance(error, (OperationalError, InterfaceError)):
        return "database"
    # The cache (and with it the rate limits' counters) lives in Redis.
    if isinstance(error, (RedisError, OSError)):
        return "redis"
    return None
