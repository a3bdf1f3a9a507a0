"""Background tasks, in the service's own terms: no queue library here.

A task is a named effect on the database. ``enqueue`` records it with a
business key (the same for every delivery of the same work) and JSON
arguments in the current transaction, and hands it to the broker once that
commits; a worker (worker.py) receives it and calls ``run``, which applies
the effect at most once per key (runs.py).

What never reached a worker (the send failed, the process died before it,
the broker lost the task) the workers' sweep sends again
(``resend_unfinished``, sweep.py). A worker runs the tasks defined in the
``tasks`` modules of the service's packages (tasks/registry.py finds them).

Also a Django app: its model keeps the receipts (the task_runs table).
"""

import logging
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from acme_orders import broker, observability
from acme_orders.settings import Settings
from acme_orders.tasks import sweep

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Task:
    """A task: its name on the queue, and its effect.

    ``effect(*args)`` changes rows; ``run`` commits them in one transaction
    with the key's receipt, so they happen once per key.
    """

    name: str
    effect: Callable[..., None]


def enqueue(task: Task, key: str, *args: Any) -> None:
    """Record ``task`` in the current transaction, and hand it to the broker
    once that commits (at once outside one): a worker must find what the
    task is about. It will run (at least once) on a worker."""
    # Imported here: Django loads this package before the apps' models.
    from acme_orders.tasks import runs

    runs.record(task.name, key, list(args))
    transaction.on_commit(partial(_send, task.name, key, list(args)))


def _send(name: str, key: str, args: list[Any]) -> None:
    """Should the broker be down, the task stays recorded and the sweep
    sends it once the broker is back: the work it is about was committed,
    so the caller carries on."""
    try:
        broker.send(name, key, args)
    except Exception as error:
        if not broker.is_outage(error):
            raise
        logger.warning(
            "task not sent: the broker is unavailable; the sweep will send it",
            extra={"task": name, "key": key},
        )


def run(settings: Settings, task: Task, key: str, args: list[Any]) -> None:
    """One delivery of ``task``: its effect, unless ``key``'s was applied
    already or the key has come back more often than allowed.

    An error propagates, so that the queue delivers the task again later.
    Observers (observability.TASK_OBSERVERS) hear of every delivery.
    """
    started = time.perf_counter()
    outcome = "failed"
    try:
        outcome = _deliver(settings, task, key, args)
    finally:
        for observe in observability.TASK_OBSERVERS:
            observe(task.name, outcome, time.perf_counter() - started)


def _deliver(settings: Settings, task: Task, key: str, args: list[Any]) -> str:
    """Run one delivery; what came of it: done, skipped or set_aside."""
    # Imported here: Django loads this package before the apps' models.
    from acme_orders.tasks import runs

    fields = {"task": task.name, "key": key}
    deliveries = runs.count_delivery(task.name, key, args)
    if deliveries is None:
        logger.info("task skipped: done already", extra=fields)
        return "skipped"
    if deliveries > settings.task_max_deliveries:
        # Acknowledged without running: its receipt (task_runs) keeps the
        # count, for whoever looks into why it kept failing.
        logger.error("task set aside: delivered too often", extra=fields)
        return "set_aside"
    with transaction.atomic():
        if not runs.claim(key):
            logger.info("task skipped: done by another delivery", extra=fields)
            return "skipped"
        task.effect(*args)
    logger.info("task done", extra={**fields, "deliveries": deliveries})
    return "done"


def resend_unfinished(settings: Settings, tasks: Collection[Task]) -> list[str]:
    """One pass of the sweep: send again the ``tasks`` not done long after
    they were last sent or taken (sweep.cutoff); the keys sent."""
    from acme_orders.tasks import runs

    sent_before = sweep.cutoff(settings, timezone.now(), broker.backlog())
    names = {task.name for task in tasks}
    resent = []
    for run in runs.unfinished(names, sent_before, settings.task_max_deliveries):
        if not runs.take_for_resending(run.key, sent_before):
            continue
        try:
            broker.send(run.task, run.key, run.args)
        except Exception:
            runs.give_back(run.key, run.sent_at)
            raise
        resent.append(run.key)
    if resent:
        logger.warning(
            "tasks sent again: not done long after they were sent",
            extra={"tasks": len(resent)},
        )
    return resent
