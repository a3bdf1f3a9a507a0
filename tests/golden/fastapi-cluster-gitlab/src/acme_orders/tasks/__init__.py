"""Background tasks, in the service's own terms: no queue library here.

A task is a named effect on the database. ``enqueue`` records it with a
business key (the same for every delivery of the same work) and JSON
arguments in the transaction that makes its work; once that commits, the
caller ``send``s it to the broker. A worker (worker.py) receives it and
calls ``run``, which applies the effect at most once per key (runs.py).

What never reached a worker (the send failed, the process died before it,
the broker lost the task) the workers' sweep sends again
(``resend_unfinished``, sweep.py). A worker runs the tasks defined in the
``tasks`` modules of the service's packages (tasks/registry.py finds them).
"""

import logging
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from acme_orders import broker, db, observability
from acme_orders.runtime import Runtime
from acme_orders.tasks import runs, sweep

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Task:
    """A task: its name on the queue, and its effect.

    ``effect(session, *args)`` changes rows in the session; ``run`` commits
    them together with the key's receipt, so they happen once per key.
    """

    name: str
    effect: Callable[..., Awaitable[None]]


@dataclass(frozen=True)
class Enqueued:
    """A task recorded in a transaction: ``send`` it once that commits."""

    task: Task
    key: str
    args: list[Any]

    async def send(self) -> None:
        """Hand the task to the broker. Should the broker be down, the task
        stays recorded and the sweep sends it once the broker is back: the
        work it is about was committed, so the caller carries on."""
        try:
            await broker.send(self.task.name, self.key, self.args)
        except Exception as error:
            if not broker.RESOURCE.is_outage(error):
                raise
            logger.warning(
                "task not sent: the broker is unavailable; the sweep will send it",
                extra={"task": self.task.name, "key": self.key},
            )


def enqueue(session: AsyncSession, task: Task, key: str, *args: Any) -> Enqueued:
    """Record ``task`` in ``session``'s transaction, to ``send`` once that
    commits; it will run (at least once) on a worker."""
    runs.record(session, task.name, key, list(args))
    return Enqueued(task, key, list(args))


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
    deliveries = await runs.count_delivery(database, task.name, key, args)
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


async def resend_unfinished(runtime: Runtime, tasks: Collection[Task]) -> list[str]:
    """One pass of the sweep: send again the ``tasks`` not done long after
    they were last sent or taken (sweep.cutoff); the keys sent."""
    settings = runtime.settings
    database = db.database(runtime)
    sent_before = sweep.cutoff(settings, runs.now(), await broker.backlog())
    names = {task.name for task in tasks}
    resent = []
    for run in await runs.unfinished(
        database, names, sent_before, settings.task_max_deliveries
    ):
        if not await runs.take_for_resending(database, run.key, sent_before):
            continue
        try:
            await broker.send(run.task, run.key, run.args)
        except Exception:
            await runs.give_back(database, run.key, run.sent_at)
            raise
        resent.append(run.key)
    if resent:
        logger.warning(
            "tasks sent again: not done long after they were sent",
            extra={"tasks": len(resent)},
        )
    return resent
