"""The task worker: ``acme-orders worker`` runs the tasks of tasks/registry.py.

Queue-neutral: celery_setup.py runs the queue library's worker (how
many processes and threads, and how it stops). Each delivery runs through
``tasks.run``, which applies the effect at most once per key, between
checks of the thread's database connection, as Django makes around a
request. Each worker process also runs the sweep (tasks/sweep.py), which
sends again the tasks that never reached a worker.
"""

from typing import Any

from django.db import close_old_connections

import acme_orders.celery_setup as queue_library
from acme_orders import config, observability, tasks
from acme_orders.settings import Settings
from acme_orders.tasks.sweep import Sweep


def deliverer(task: tasks.Task, settings: Settings) -> queue_library.Deliver:
    """The function the queue library calls for each delivery of ``task``."""

    def deliver(key: str, args: list[Any]) -> None:
        # A connection that broke or outlived CONN_MAX_AGE since the last
        # task is closed, not used.
        close_old_connections()
        try:
            tasks.run(settings, task, key, args)
        finally:
            close_old_connections()

    return deliver


def serve(settings: Settings) -> int:
    """Run the worker until SIGTERM (or SIGINT); its exit status."""
    config.setup()
    observability.setup_worker(settings)
    # Imported once Django is set up: the tasks' modules load models.
    from acme_orders.tasks.registry import TASKS

    def sweep_once() -> None:
        close_old_connections()
        try:
            tasks.resend_unfinished(settings, TASKS)
        finally:
            close_old_connections()

    sweep = Sweep(sweep_once, every=settings.task_visibility_timeout_seconds)

    def stopping() -> None:
        sweep.stop()
        close_old_connections()

    return queue_library.work(
        settings,
        {task.name: deliverer(task, settings) for task in TASKS},
        process_started=sweep.start,
        process_stopping=stopping,
    )
