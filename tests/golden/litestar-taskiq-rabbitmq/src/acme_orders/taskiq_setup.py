"""The service's queue library, Taskiq, behind the functions every queue's
module offers (broker.py and worker.py call them, whatever the queue):
``connect``, ``close``, ``ping``, ``is_outage``, ``publish``, ``backlog``,
``work`` and ``delete_queue``.

At-least-once delivery, and why (the template's docs/tasks.md has more):

- Taskiq acknowledges a task once it ran (its result, which nobody reads,
  "saved"), whether it returned or raised; one that raised is sent again
  at once, as a new message, by Taskiq's retry middleware;
- WORKER_CONCURRENCY worker processes (Taskiq's process manager starts a
  new one for each that dies), each running one task at a time;
- Taskiq is asyncio: the service sends through a broker started on an
  event loop of its own, on a thread of its own, whatever the framework;
- what differs by broker is in taskiq_on_rabbitmq.py.
"""

import asyncio
import threading
from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from taskiq import AsyncBroker, SimpleRetryMiddleware, TaskiqEvents, TaskiqState
from taskiq.acks import AcknowledgeType
from taskiq.cli.worker.args import WorkerArgs
from taskiq.cli.worker.run import run_worker
from taskiq.exceptions import SendTaskError
from taskiq.kicker import AsyncKicker

import acme_orders.taskiq_on_rabbitmq as on_broker
from acme_orders import heartbeat
from acme_orders.settings import Settings

# A delivery of a task: called with its key and arguments.
Deliver = Callable[[str, list[Any]], None]
# Sending gives up after this long when the broker cannot be reached (503).
SEND_TIMEOUT_SECONDS = 5.0
# How long a stopping worker process waits for the broker to close.
SHUTDOWN_SECONDS = 10


class BrokerUnavailableError(Exception):
    """The broker could not be reached (the cause says how).

    Raised in place of the client library's own error, some of which are
    OSErrors: the service tells outages apart by type, and would take those
    for the database's.
    """


class Client:
    """What the service sends with: a broker, started on first use on an
    event loop of its own (the broker's connections belong to that loop),
    which runs on a thread of its own."""

    def __init__(self, broker: AsyncBroker, settings: Settings) -> None:
        self.broker = broker
        self.settings = settings
        self._started = False
        self._starting = asyncio.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="taskiq-client", daemon=True
        )
        self._thread.start()

    def call(self, work: Coroutine[Any, Any, Any]) -> Any:
        """``await work`` on the client's loop, for SEND_TIMEOUT_SECONDS at most;
        BrokerUnavailableError when the broker cannot be reached."""
        future = asyncio.run_coroutine_threadsafe(work, self._loop)
        try:
            return future.result(SEND_TIMEOUT_SECONDS)
        except TimeoutError as error:
            future.cancel()
            raise BrokerUnavailableError from error
        except Exception as error:
            if _unreachable(error):
                raise BrokerUnavailableError from error
            raise

    async def started(self) -> AsyncBroker:
        """The broker, started once (again after a failed start)."""
        async with self._starting:
            if not self._started:
                await self.broker.startup()
                self._started = True
        return self.broker

    def close(self) -> None:
        if self._started:
            self.call(self.broker.shutdown())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()


def connect(settings: Settings) -> Client:
    return Client(on_broker.make_broker(settings, for_worker=False), settings)


def close(client: Client) -> None:
    client.close()


def is_outage(error: BaseException) -> bool:
    """Whether ``error`` means the broker cannot be reached right now."""
    return isinstance(error, BrokerUnavailableError)


def _unreachable(error: BaseException) -> bool:
    # Taskiq wraps every error of sending, a bug's too: look at the cause.
    if isinstance(error, SendTaskError) and error.__cause__ is not None:
        error = error.__cause__
    return isinstance(error, (OSError, *on_broker.OUTAGE_ERRORS))


def ping(client: Client) -> None:
    client.call(on_broker.ping(client.settings))


def publish(client: Client, name: str, key: str, args: list[Any]) -> None:
    """Put the task ``name`` on the queue; a worker runs it with ``(key, args)``."""
    client.call(_send(client, name, key, args))


def backlog(client: Client) -> int:
    """How many tasks wait in TASK_QUEUE for a worker."""
    return int(client.call(on_broker.backlog(client.settings)))


async def _send(client: Client, name: str, key: str, args: list[Any]) -> None:
    broker = await client.started()
    # By name: the service does not import the worker's functions.
    kicker: AsyncKicker[..., Any] = AsyncKicker(name, broker, labels={})
    await kicker.kiq(key, args)


def work(
    settings: Settings,
    deliveries: Mapping[str, Deliver],
    process_started: Callable[[], None],
    process_stopping: Callable[[], None],
) -> int:
    """Run the worker until SIGTERM (or SIGINT); its exit status.

    Starts WORKER_CONCURRENCY processes, each of which calls
    ``process_started`` first (to open its connections) and
    ``process_stopping`` last, and runs ``deliveries[name](key, args)`` for
    each task of that name, on a thread. SIGTERM stops the worker
    gracefully: each process takes no new task and finishes its running one.
    """
    broker = on_broker.make_broker(settings, for_worker=True).with_middlewares(
        SimpleRetryMiddleware(
            default_retry_count=settings.task_max_deliveries,
            default_retry_label=True,
        )
    )
    for name, deliver in deliveries.items():
        broker.register_task(deliver, task_name=name)

    async def started(state: TaskiqState) -> None:
        process_started()
        # Also wakes the loop each second, so that a stop is seen at once.
        state.beating = asyncio.create_task(_beat())

    async def stopping(state: TaskiqState) -> None:
        state.beating.cancel()
        process_stopping()

    broker.add_event_handler(TaskiqEvents.WORKER_STARTUP, started)
    broker.add_event_handler(TaskiqEvents.WORKER_SHUTDOWN, stopping)
    failed = run_worker(
        WorkerArgs(
            # The broker itself, not its import path: Taskiq takes both.
            broker=broker,  # type: ignore[arg-type]
            modules=[],
            workers=settings.worker_concurrency,
            max_async_tasks=1,
            max_threadpool_threads=1,
            ack_type=AcknowledgeType.WHEN_SAVED,
            # The service's JSON logs (logs.py) stay in charge.
            configure_logging=False,
            shutdown_timeout=SHUTDOWN_SECONDS,
        )
    )
    return 1 if failed else 0


async def _beat() -> None:
    """Beat (heartbeat.py) while this process's event loop runs."""
    while True:
        heartbeat.beat()
        await asyncio.sleep(1)


def delete_queue(settings: Settings) -> None:
    """Delete TASK_QUEUE from the broker, with what it holds (for tests)."""
    # On the client's loop: the caller's may be running (an async test).
    client = connect(settings)
    try:
        client.call(on_broker.delete_queue(settings))
    finally:
        close(client)
