"""Waiting and working aside, for asyncio.

The SQLAlchemy stack is written once, for asyncio, and a WSGI framework's
render gets it in synchronous form (see the template's
extensions/synchronous.py). What the two forms do differently, beyond
spelling, lives here: a WSGI render has a module of the same name and the
same functions, built on threads.
"""

import asyncio
import os
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import cache
from typing import Any

import anyio


class Slots:
    """At most ``capacity`` holders at a time, served in arrival order.

    Database sessions wait here rather than in the connection pool, whose
    queue lets a newcomer take the connection a woken waiter was handed (the
    waiter then queues again at the back): under load some requests waited
    for seconds there. asyncio's semaphore serves waiters in order.
    """

    def __init__(self, capacity: int, timeout: float) -> None:
        self._free = asyncio.Semaphore(capacity)
        self._timeout = timeout

    @asynccontextmanager
    async def held(self) -> AsyncIterator[None]:
        """One slot for the block; TimeoutError when none frees in time."""
        async with asyncio.timeout(self._timeout):
            await self._free.acquire()
        try:
            yield
        finally:
            self._free.release()


async def within(
    seconds: float, call: Callable[[Any], Awaitable[None]], handle: object
) -> None:
    """``call(handle)``, or TimeoutError after ``seconds``."""
    await asyncio.wait_for(call(handle), seconds)


# CPU-heavy work (password hashing) runs on worker threads, never on the
# event loop, where it would stall every request, health probes included;
# at most one per CPU at a time.
_cpu_slots = anyio.CapacityLimiter(os.cpu_count() or 1)


async def cpu_bound(function: Callable[..., Any], *args: object) -> Any:
    """``function(*args)`` on a worker thread, off the event loop."""
    return await anyio.to_thread.run_sync(function, *args, limiter=_cpu_slots)


async def off_loop(function: Callable[..., Any], *args: object) -> Any:
    """``function(*args)``, a blocking call such as a queue library's
    publish, on a worker thread, off the event loop."""
    return await anyio.to_thread.run_sync(function, *args)


@cache
def _worker_loop(pid: int) -> asyncio.AbstractEventLoop:
    """This process's loop, running on a thread of its own (per process id:
    a forked child gets a loop of its own, not its parent's threadless one)."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="task-loop", daemon=True)
    thread.start()
    return loop


def run(function: Callable[..., Any], *args: object) -> Any:
    """``await function(*args)``, from plain code (a queue worker's task
    function, on any of its threads), on this process's own event loop.

    One loop for the life of the process, not one per call: the database
    pool's connections belong to the loop they were opened on.
    """
    loop = _worker_loop(os.getpid())
    return asyncio.run_coroutine_threadsafe(function(*args), loop).result()
