"""Background tasks, in the service's own terms: no queue library here.

A task is a named effect on the database. ``enqueue`` hands it to the broker
with a business key (the same for every delivery of the same work) and JSON
arguments; a worker (worker.py) receives it and calls ``run``, which applies
the effect at most once per key (runs.py). The tasks a worker runs are
listed in tasks/registry.py.
"""

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from acme_orders import broker, db, observability
from acme_orders.runtime import Runtime
from acme_orders.tasks import runs

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Task:
    """A task: its name on the queue, and its effect.

    ``effect(session, *args)`` changes rows in the session; ``run`` commits
    them together with the key's receipt, so they happen once per key.
    """

    name: str
    effect: Callable[..., Awaitable[None]]


async def enqueue(task: Task, key: str, *args: Any) -> None:
    """Hand ``task`` to the broker; it will run (at least once) on a worker."""
    await broker.send(task.name, key, list(args))


async def run(runtime: Runtime, task: Task, key: str, args: list[Any]) -> None:
    """One delivery of ``task``: its effect, unless ``key``'s was applied
    already or the key has come back more often than allowed.

    An error propagates, so that the queue delivers the task again later.
    Observers (observability.TASK_OBSERVERS) hear of every delivery.
    """
    started = time.perf_counter()
    outcome = "failed"
    try:
        outcome = await _deliver(runtime, task, key, args)
    finally:
        for observe in observability.TASK_OBSERVERS:
            observe(task.name, outcome, time.perf_counter() - started)


async def _deliver(runtime: Runtime, task: Task, key: str, args: list[Any]) -> str:
    """Run one delivery; what came of it: done, skipped or set_aside."""
    fields = {"task": task.name, "key": key}
    database = db.database(runtime)
    deliveries = await runs.count_delivery(database, key)
    if deliveries is None:
        logger.info("task skipped: done already", extra=fields)
        return "skipped"
    if deliveries > runtime.settings.task_max_deliveries:
        # Acknowledged without running: its receipt (task_runs) keeps the
        # count, for whoever looks into why it kept failing.
        logger.error("task set aside: delivered too often", extra=fields)
        return "set_aside"
    async with database.session() as session:
        if not await runs.claim(session, key):
            logger.info("task skipped: done by another delivery", extra=fields)
            return "skipped"
        await task.effect(session, *args)
        await session.commit()
    logger.info("task done", extra={**fields, "deliveries": deliveries})
    return "done"
