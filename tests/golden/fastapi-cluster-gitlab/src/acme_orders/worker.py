"""The task worker: ``acme-orders worker`` runs the tasks of tasks/registry.py.

Queue-neutral: celery_setup.py runs the queue library's worker (how
many processes and threads, and how it stops). Each worker process opens
the service's runtime (its database and other connections) when it starts
and keeps it, and runs each delivery through ``tasks.run``, which applies
the effect at most once per key.
"""

from contextlib import AsyncExitStack
from typing import Any

import acme_orders.celery_setup as queue_library
from acme_orders import concurrency, observability, tasks
from acme_orders.models import import_models
from acme_orders.resources import RESOURCES
from acme_orders.runtime import Runtime
from acme_orders.settings import Settings
from acme_orders.tasks.registry import TASKS
from acme_orders.tasks.sweep import Sweep


class WorkerProcess:
    """The runtime a worker process opens when it starts and keeps, and the
    process's sweep."""

    def __init__(self) -> None:
        self._stack = AsyncExitStack()
        self._runtime: Runtime | None = None
        self._sweep: Sweep | None = None

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            msg = "the worker process has not opened its runtime"
            raise RuntimeError(msg)
        return self._runtime

    async def open(self, settings: Settings) -> None:
        self._runtime = await self._stack.enter_async_context(
            Runtime(settings, RESOURCES).running(),
        )

    async def close(self) -> None:
        self._runtime = None
        await self._stack.aclose()

    def start(self, settings: Settings) -> None:
        """Open the runtime, then start sweeping (on the sweep's thread)."""
        concurrency.run(self.open, settings)
        self._sweep = Sweep(
            lambda: concurrency.run(tasks.resend_unfinished, self.runtime, TASKS),
            every=settings.task_visibility_timeout_seconds,
        )
        self._sweep.start()

    def stop(self) -> None:
        if self._sweep is not None:
            self._sweep.stop()
        concurrency.run(self.close)


process = WorkerProcess()


def deliverer(task: tasks.Task) -> queue_library.Deliver:
    """The function the queue library calls for each delivery of ``task``."""

    def deliver(key: str, args: list[Any]) -> None:
        concurrency.run(tasks.run, process.runtime, task, key, args)

    return deliver


def serve(settings: Settings) -> int:
    """Run the worker until SIGTERM (or SIGINT); its exit status."""
    observability.setup_worker(settings)
    # Every table, as the migrations see them: a task's rows may refer to
    # tables that its own modules do not import.
    import_models()
    return queue_library.work(
        settings,
        {task.name: deliverer(task) for task in TASKS},
        process_started=lambda: process.start(settings),
        process_stopping=process.stop,
    )
