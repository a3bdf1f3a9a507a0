"""Rate limiting of the auth endpoints: a window of attempts per key.

Each key's window opens with its first attempt and lasts the configured
number of seconds, so a burst is never split across two windows.

The counter lives in process memory, so each worker process counts on its own;
choose the Redis cache to make the limit hold across workers and replicas.
"""

import time
from typing import Protocol

from fastapi import HTTPException, Request, status

from acme_orders.resources import OUTAGE_RETRY_AFTER_SECONDS, report_outage
from acme_orders.settings import Settings


class CounterUnavailableError(Exception):
    """The counter's store cannot be reached; attempts cannot be counted."""


class Counter(Protocol):
    async def hit(self, key: str, window_seconds: int) -> int:
        """Count one attempt under ``key``; return the attempts in this window."""
        ...


class MemoryCounter:
    def __init__(self) -> None:
        self._windows: dict[str, tuple[float, int]] = {}

    async def hit(self, key: str, window_seconds: int) -> int:
        now = time.monotonic()
        started, count = self._windows.get(key, (now, 0))
        if now - started >= window_seconds:
            started, count = now, 0
        self._windows[key] = (started, count + 1)
        if len(self._windows) > 10_000:
            self._forget_older_than(now - window_seconds)
        return count + 1

    def _forget_older_than(self, moment: float) -> None:
        self._windows = {k: v for k, v in self._windows.items() if v[0] > moment}


class RateLimiter:
    def __init__(self, counter: Counter, *, limit: int, window_seconds: int) -> None:
        self.counter = counter
        self.limit = limit
        self.window_seconds = window_seconds

    async def allow(self, key: str, *, limit: int | None = None) -> bool:
        attempts = await self.counter.hit(key, self.window_seconds)
        return attempts <= (limit or self.limit)

    async def enforce(self, key: str, *, limit: int | None = None) -> None:
        """Answer 429 over the limit, and 503 when attempts cannot be counted.

        Without a working counter the request is refused rather than let
        through: an outage must not switch brute-force protection off.
        """
        try:
            allowed = await self.allow(key, limit=limit)
        except CounterUnavailableError as error:
            report_outage("rate-limit store", error.__cause__ or error)
            raise HTTPException(
                status.HTTP_503_SERVICE_UNAVAILABLE,
                "Temporarily unavailable; try again shortly",
                headers={"Retry-After": str(OUTAGE_RETRY_AFTER_SECONDS)},
            ) from None
        if not allowed:
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                "Too many attempts; try again later",
                headers={"Retry-After": str(self.window_seconds)},
            )


def login_limiter(request: Request) -> RateLimiter:
    """The app's auth limiter, built on first use from its settings."""
    state = request.app.state
    if not hasattr(state, "login_limiter"):
        settings: Settings = state.settings
        state.login_limiter = RateLimiter(
            MemoryCounter(),
            limit=settings.login_rate_limit,
            window_seconds=settings.login_rate_window_seconds,
        )
    limiter: RateLimiter = state.login_limiter
    return limiter
