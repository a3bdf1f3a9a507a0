"""Rate limiting of the auth endpoints: a window of attempts per key.

Each key's window opens with its first attempt and lasts the configured
number of seconds, so a burst is never split across two windows.

The counter lives in process memory, so each worker process counts on its own;
choose the Redis cache to make the limit hold across workers and replicas.
"""

import threading
import time
from typing import Protocol

from acme_orders.runtime import Runtime


class CounterUnavailableError(Exception):
    """The counter's store cannot be reached; attempts cannot be counted."""


class Counter(Protocol):
    async def hit(self, key: str, window_seconds: int) -> int:
        """Count one attempt under ``key``; return the attempts in this window."""
        ...


class MemoryCounter:
    def __init__(self) -> None:
        self._windows: dict[str, tuple[float, int]] = {}
        # A worker's threads (WSGI) count at once: one at a time, so no
        # attempt goes uncounted. Never held across a wait.
        self._counting = threading.Lock()

    async def hit(self, key: str, window_seconds: int) -> int:
        now = time.monotonic()
        with self._counting:
            started, count = self._windows.get(key, (now, 0))
            if now - started >= window_seconds:
                started, count = now, 0
            self._windows[key] = (started, count + 1)
            if len(self._windows) > 10_000:
                self._forget_older_than(now - window_seconds)
        return count + 1

    def _forget_older_than(self, moment: float) -> None:
        self._windows = {k: v for k, v in self._windows.items() if v[0] > moment}


def login_counter(runtime: Runtime) -> Counter:
    return MemoryCounter()


class RateLimitedError(Exception):
    """Too many attempts under a key: try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many attempts; try again after {retry_after} s")
        self.retry_after = retry_after


class RateLimiter:
    def __init__(self, counter: Counter, *, limit: int, window_seconds: int) -> None:
        self.counter = counter
        self.limit = limit
        self.window_seconds = window_seconds

    async def allow(self, key: str, *, limit: int | None = None) -> bool:
        attempts = await self.counter.hit(key, self.window_seconds)
        return attempts <= (limit or self.limit)

    async def enforce(self, key: str, *, limit: int | None = None) -> None:
        """Raise RateLimitedError over the limit.

        CounterUnavailableError passes through when attempts cannot be
        counted: the request is then refused rather than let through, since
        an outage must not switch brute-force protection off.
        """
        if not await self.allow(key, limit=limit):
            raise RateLimitedError(self.window_seconds)


def login_limiter(runtime: Runtime) -> RateLimiter:
    """The limiter of the auth endpoints, on this service's counter."""
    settings = runtime.settings
    return RateLimiter(
        login_counter(runtime),
        limit=settings.login_rate_limit,
        window_seconds=settings.login_rate_window_seconds,
    )
