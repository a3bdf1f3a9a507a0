"""Rate limits of the auth endpoints, counted in Django's cache.

Each key's window opens with its first attempt and lasts
LOGIN_RATE_WINDOW_SECONDS, so a burst is never split across two windows.
``cache.add`` creates the counter with its expiry only if it is absent (SET
NX EX on Redis) and ``cache.incr`` increments it (INCRBY, which keeps the
expiry): both atomic, so with the Redis cache the count holds across every
worker process and replica; with the local-memory cache each process counts
on its own. A counter store that cannot be reached refuses the attempt
(503): an outage must not switch brute-force protection off.
"""

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from acme_orders.api.errors import DependencyUnavailable
from acme_orders.api.middleware import client_address
from acme_orders.api.outages import outage_of
from acme_orders.outage_log import report_outage

# A client may make this many times the per-account login attempts in total.
CLIENT_LIMIT_FACTOR = 4


def hit(key: str, window_seconds: int) -> int:
    """Count one attempt under ``key``; return the attempts in this window."""
    cache_key = "auth:" + hashlib.sha256(key.encode()).hexdigest()
    try:
        for _ in range(3):
            cache.add(cache_key, 0, timeout=window_seconds)
            try:
                return cache.incr(cache_key)
            except ValueError:
                # The window closed between add and incr: open a new one.
                continue
    except Exception as error:
        if outage_of(error) is None:
            raise
        report_outage("rate-limit store", error)
        raise DependencyUnavailable from error
    raise DependencyUnavailable


class AttemptThrottle(BaseThrottle):
    """At most LOGIN_RATE_LIMIT (times ``factor``) attempts per window and key."""

    factor = 1

    def __init__(self, key: str) -> None:
        self.key = key
        self.limit = settings.SERVICE_SETTINGS.login_rate_limit * self.factor
        self.window = settings.SERVICE_SETTINGS.login_rate_window_seconds

    def allow_request(self, request: Request, view: Any) -> bool:
        return hit(self.key, self.window) <= self.limit

    def wait(self) -> float:
        return self.window


class ClientThrottle(AttemptThrottle):
    factor = CLIENT_LIMIT_FACTOR


def registration_throttles(request: Request) -> list[BaseThrottle]:
    # Each registration costs a full password hash: limited per client.
    return [AttemptThrottle(f"register:{client_address(request)}")]


def login_throttles(request: Request, account: str) -> list[BaseThrottle]:
    """Per account from this client, then for the client as a whole, so one
    address cannot try a password against many accounts either."""
    client = client_address(request)
    return [
        AttemptThrottle(f"login:{client}:{account}"),
        ClientThrottle(f"login:{client}"),
    ]
