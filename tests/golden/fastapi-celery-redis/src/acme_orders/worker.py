"""The Celery worker: ``acme-orders worker`` runs the tasks of tasks/registry.py.

Celery forks WORKER_CONCURRENCY processes; each opens the service's runtime
(its database and other connections) when it starts and keeps it, and runs
each delivery through ``tasks.run``, which applies the effect at most once
per key. SIGTERM stops the worker gracefully: it takes no new task and
exits once the running ones are done; one that is killed instead leaves
its task unacknowledged, and the broker hands it out again.
"""

from collections.abc import Callable
from contextlib import AsyncExitStack
from typing import Any

from celery.signals import worker_process_init, worker_process_shutdown

from acme_orders import broker, celery_setup, concurrency, observability, tasks
from acme_orders.models import import_models
from acme_orders.resources import RESOURCES
from acme_orders.runtime import Runtime
from acme_orders.settings import Settings, get_settings
from acme_orders.tasks.registry import TASKS


class WorkerProcess:
    """The runtime a worker process opens when it starts and keeps."""

    def __init__(self) -> None:
        self._stack = AsyncExitStack()
        self._runtime: Runtime | None = None

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


process = WorkerProcess()


@worker_process_init.connect
def _open_runtime(**_: object) -> None:
    concurrency.run(process.open, get_settings())


@worker_process_shutdown.connect
def _close_runtime(**_: object) -> None:
    concurrency.run(process.close)


def deliverer(task: tasks.Task) -> Callable[[str, list[Any]], None]:
    """The function Celery calls for each delivery of ``task``."""

    def deliver(key: str, args: list[Any]) -> None:
        concurrency.run(tasks.run, process.runtime, task, key, args)

    return deliver


def serve(settings: Settings) -> int:
    """Run the worker until SIGTERM (or SIGINT); its exit status."""
    celery_setup.configure(broker.app, settings)
    observability.setup_worker(settings)
    # Every table, as the migrations see them: a task's rows may refer to
    # tables that its own modules do not import.
    import_models()
    for task in TASKS:
        celery_setup.register(broker.app, task.name, deliverer(task), settings)
    broker.app.steps["worker"].add(celery_setup.Heartbeat)
    broker.app.worker_main(celery_setup.worker_arguments(settings))
    return 0
