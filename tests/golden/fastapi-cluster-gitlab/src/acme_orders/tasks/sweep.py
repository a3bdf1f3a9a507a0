"""The sweep: a thread in each worker process that sends again the tasks
that never reached a worker.

A task is recorded in the transaction that makes its work and sent once
that commits (tasks.enqueue), and may still never reach a worker: the
sender died between the commit and the send, the broker was down, or the
broker lost it (Celery on Redis, across a restart). Every ``every`` seconds
the sweep calls its pass (tasks.resend_unfinished), which sends again the
tasks not done long after they were last sent or taken (ten times as long
while tasks wait in the queue). The receipts make a copy of a task that did
arrive harmless.
"""

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from acme_orders.settings import Settings

logger = logging.getLogger(__name__)

# While tasks wait in the queue, a pass sends again only the tasks left this
# many times the resend delay: a task behind others is late, not lost, and
# sending the waiting ones again would only lengthen the queue.
WAITING_FACTOR = 10

# Seconds between passes at most: a lost task waits at least its resend
# delay anyway (twice TASK_VISIBILITY_TIMEOUT_SECONDS), and each pass asks
# the broker and the database.
MAX_SECONDS_BETWEEN_PASSES = 60.0
# How long stopping waits for a pass under way: a broker that blocks a send
# must not hold up the worker's shutdown (the thread dies with the process).
STOP_WAIT_SECONDS = 10.0


def resend_after(settings: Settings) -> timedelta:
    """How long after it was last sent or taken a task not done is sent
    again: twice the time a dead worker's task takes to come back from the
    broker itself."""
    return timedelta(seconds=2 * settings.task_visibility_timeout_seconds)


def cutoff(settings: Settings, now: datetime, waiting: int) -> datetime:
    """A pass sends again the tasks last sent or taken before this, with
    ``waiting`` tasks in the queue (see WAITING_FACTOR)."""
    return now - resend_after(settings) * (WAITING_FACTOR if waiting else 1)


class Sweep:
    """Calls ``sweep_once`` every ``every`` seconds on a thread of its own,
    from ``start`` until ``stop``."""

    def __init__(self, sweep_once: Callable[[], object], every: float) -> None:
        self._sweep_once = sweep_once
        self._every = min(every, MAX_SECONDS_BETWEEN_PASSES)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start sweeping in this process. The thread is made here, not
        before: a worker process forked from another starts its own."""
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="sweep", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop, after the pass under way (if any) ends, or STOP_WAIT_SECONDS."""
        self._stopping.set()
        if self._thread is None:
            return
        self._thread.join(STOP_WAIT_SECONDS)
        if self._thread.is_alive():
            logger.warning("sweep still busy; stopping without it")

    def _loop(self) -> None:
        stopping = self._stopping
        while not stopping.wait(self._every):
            try:
                self._sweep_once()
            # Whatever went wrong (the broker or the database out, mostly),
            # the next pass tries again: the thread must not die of it.
            except Exception as error:  # noqa: BLE001
                logger.warning(
                    "sweep failed; the next pass tries again",
                    extra={"error": type(error).__name__},
                )
