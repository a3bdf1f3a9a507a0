"""Background tasks, in the service's own terms: no queue library here.

A task is a named effect on the database. ``enqueue`` hands it to the broker
with a business key (the same for every delivery of the same work) and JSON
arguments, once the current transaction commits; a worker (worker.py)
receives it and calls ``run``, which applies the effect at most once per key
(runs.py). The tasks a worker runs are listed in tasks/registry.py.

Also a Django app: its model keeps the receipts (the task_runs table).
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction

from acme_orders import broker, observability
from acme_orders.settings import Settings

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
    """Hand ``task`` to the broker once the current transaction commits (at
    once outside one): a worker must find what the task is about."""
    transaction.on_commit(partial(broker.send, task.name, key, list(args)))


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
    deliveries = runs.count_delivery(key)
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
