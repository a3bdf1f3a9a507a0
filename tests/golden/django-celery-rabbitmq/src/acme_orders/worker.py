"""The Celery worker: ``acme-orders worker`` runs the tasks of tasks/registry.py.

Celery forks WORKER_CONCURRENCY processes, each with its own database
connection, and runs each delivery through ``tasks.run``, which applies the
effect at most once per key. SIGTERM stops the worker gracefully: it takes
no new task and exits once the running ones are done; one that is killed
instead leaves its task unacknowledged, and the broker hands it out again.
"""

from collections.abc import Callable
from typing import Any

from acme_orders import celery_setup, config, observability, tasks
from acme_orders.settings import Settings


def deliverer(task: tasks.Task, settings: Settings) -> Callable[[str, list[Any]], None]:
    """The function Celery calls for each delivery of ``task``."""

    def deliver(key: str, args: list[Any]) -> None:
        tasks.run(settings, task, key, args)

    return deliver


def serve(settings: Settings) -> int:
    """Run the worker until SIGTERM (or SIGINT); its exit status."""
    config.setup()
    observability.setup_worker(settings)
    # Imported once Django is set up: the tasks' modules load models.
    from acme_orders.config.celery import app
    from acme_orders.tasks.registry import TASKS

    for task in TASKS:
        celery_setup.register(app, task.name, deliverer(task, settings), settings)
    app.steps["worker"].add(celery_setup.Heartbeat)
    app.worker_main(celery_setup.worker_arguments(settings))
    return 0
