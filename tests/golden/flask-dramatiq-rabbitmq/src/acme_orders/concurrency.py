"""Waiting and working aside, for threads.

The SQLAlchemy stack is written once, for asyncio, and this render (a WSGI
framework, whose requests each run on a thread) gets it in synchronous form
(see the template's extensions/synchronous.py). What the two forms do
differently, beyond spelling, lives here: an ASGI render has a module of the
same name and the same functions, built on asyncio.
"""

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any


class Slots:
    """At most ``capacity`` holders at a time, across the worker's threads."""

    def __init__(self, capacity: int, timeout: float) -> None:
        self._free = threading.BoundedSemaphore(capacity)
        self._timeout = timeout

    @contextmanager
    def held(self) -> Iterator[None]:
        """One slot for the block; TimeoutError when none frees in time."""
        if not self._free.acquire(timeout=self._timeout):
            raise TimeoutError
        try:
            yield
        finally:
            self._free.release()


# A thread may block on a socket until the driver's own timeout: waits that
# must end sooner run on these threads, and the caller stops waiting.
_bounded_waits = ThreadPoolExecutor(max_workers=2, thread_name_prefix="bounded")


def within(seconds: float, call: Callable[[Any], None], handle: object) -> None:
    """``call(handle)``, or TimeoutError after ``seconds``."""
    _bounded_waits.submit(call, handle).result(timeout=seconds)


# CPU-heavy work (password hashing): at most one per CPU at a time, so the
# worker's other threads keep serving.
_cpu_slots = threading.BoundedSemaphore(os.cpu_count() or 1)


def cpu_bound(function: Callable[..., Any], *args: object) -> Any:
    """``function(*args)``, once a CPU slot is free."""
    with _cpu_slots:
        return function(*args)


def off_loop(function: Callable[..., Any], *args: object) -> Any:
    """``function(*args)``: threads may block (asyncio runs it aside)."""
    return function(*args)


def run(function: Callable[..., Any], *args: object) -> Any:
    """``function(*args)``: what asyncio runs on the worker process's
    event loop, threads call."""
    return function(*args)
