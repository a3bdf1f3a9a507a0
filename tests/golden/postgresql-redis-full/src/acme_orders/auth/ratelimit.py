"""Login rate limiting: a fixed window of attempts per client and account.

The counter lives in Redis, so the limit holds across every worker process
and replica.
"""

import time
from typing import Protocol

from fastapi import Request
from redis.asyncio import Redis

from acme_orders.settings import Settings


class Counter(Protocol):
    async def hit(self, key: str, window_seconds: int) -> int:
        """Count one attempt under ``key``; return the attempts in this window."""
        ...


class MemoryCounter:
    def __init__(self) -> None:
        self._windows: dict[str, tuple[int, int]] = {}

    async def hit(self, key: str, window_seconds: int) -> int:
        window = int(time.time()) // window_seconds
        started, count = self._windows.get(key, (window, 0))
        count = count + 1 if started == window else 1
        self._windows[key] = (window, count)
        if len(self._windows) > 10_000:
            self._forget_before(window)
        return count

    def _forget_before(self, window: int) -> None:
        self._windows = {k: v for k, v in self._windows.items() if v[0] >= window}


class RedisCounter:
    """Shared by every worker and replica that uses the same Redis."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix

    async def hit(self, key: str, window_seconds: int) -> int:
        window = int(time.time()) // window_seconds
        window_key = f"{self.prefix}{key}:{window}"
        # INCR and EXPIRE in one transaction: a crash between the two
        # cannot leave a counter that never expires.
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(window_key)
            pipe.expire(window_key, window_seconds)
            count, _ = await pipe.execute()
        return int(count)


class RateLimiter:
    def __init__(self, counter: Counter, *, limit: int, window_seconds: int) -> None:
        self.counter = counter
        self.limit = limit
        self.window_seconds = window_seconds

    async def allow(self, key: str) -> bool:
        return await self.counter.hit(key, self.window_seconds) <= self.limit


def login_limiter(request: Request) -> RateLimiter:
    """The app's login limiter, built on first use from its settings."""
    state = request.app.state
    if not hasattr(state, "login_limiter"):
        settings: Settings = state.settings
        state.login_limiter = RateLimiter(
            RedisCounter(state.redis, prefix="acme-orders:login:"),
            limit=settings.login_rate_limit,
            window_seconds=settings.login_rate_window_seconds,
        )
    limiter: RateLimiter = state.login_limiter
    return limiter
