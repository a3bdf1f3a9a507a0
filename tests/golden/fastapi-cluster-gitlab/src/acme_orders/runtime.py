"""What a running service holds: its settings and its open connections.

Every framework's web layer builds one ``Runtime`` per app from the
settings, opens it for the app's lifetime and hands it to request code,
which reads a connection through its module's typed accessor
(``db.database(runtime)`` is a ``db.Database``) instead of from an untyped
bag of attributes. Framework-free on purpose: nothing here knows about HTTP.
"""

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

from acme_orders import concurrency
from acme_orders.settings import Settings

logger = logging.getLogger(__name__)


@dataclass(eq=False)  # compared and hashed by identity: it keys the handles
class Resource:
    """An external connection the service holds: how to open it, how to
    probe it, and which errors mean it cannot be reached right now."""

    name: str
    open: Callable[[Settings], AbstractAsyncContextManager[Any]]
    ping: Callable[[Any], Awaitable[None]]
    is_outage: Callable[[BaseException], bool]


class Runtime:
    """The settings and, while ``running()``, one handle per resource."""

    def __init__(self, settings: Settings, resources: Sequence[Resource]) -> None:
        self.settings = settings
        self.resources = tuple(resources)
        self._handles: dict[Resource, object] = {}
        self._shared: dict[Callable[[Runtime], object], object] = {}

    @asynccontextmanager
    async def running(self) -> AsyncIterator["Runtime"]:
        """Open every resource in order; close them in reverse on exit."""
        async with AsyncExitStack() as stack:
            for resource in self.resources:
                self._handles[resource] = await stack.enter_async_context(
                    resource.open(self.settings)
                )
            try:
                yield self
            finally:
                self._handles.clear()
                self._shared.clear()

    def handle(self, resource: Resource) -> object:
        """The open connection of ``resource`` (its module's accessor types it)."""
        try:
            return self._handles[resource]
        except KeyError:
            msg = f"{resource.name} is not open: use the runtime inside running()"
            raise RuntimeError(msg) from None

    def shared(self, build: Callable[["Runtime"], object]) -> object:
        """``build(self)``, built on first use and kept while running, such as
        a rate limiter on one of the connections."""
        if build not in self._shared:
            self._shared[build] = build(self)
        return self._shared[build]

    async def readiness(self, seconds_each: float) -> dict[str, str]:
        """``"ok"`` or ``"unavailable"`` per resource, each pinged within
        ``seconds_each``."""
        checks: dict[str, str] = {}
        for resource in self.resources:
            try:
                await concurrency.within(
                    seconds_each,
                    resource.ping,
                    self.handle(resource),
                )
            except Exception:  # noqa: BLE001  (any failure means "not ready")
                logger.warning("readiness check failed", extra={"check": resource.name})
                checks[resource.name] = "unavailable"
            else:
                checks[resource.name] = "ok"
        return checks
