"""The service's queue library, Dramatiq, behind the functions every queue's
module offers (broker.py and worker.py call them, whatever the queue):
``connect``, ``close``, ``ping``, ``is_outage``, ``publish``, ``backlog``,
``work`` and ``delete_queue``.

At-least-once delivery, and why (the template's docs/tasks.md has more):

- Dramatiq acknowledges a message once its actor returned or raised, never
  before; an error sends a new copy back with a growing delay (Retries),
  and the receipts count the deliveries and set aside a task that comes
  back too often;
- the worker is one process running WORKER_CONCURRENCY threads, so that it
  keeps the service's JSON logs and one set of connections (run more
  workers for more processes);
- RabbitMQ: durable queues, persistent messages and publisher confirms
  (``confirm_delivery``), so a task the service sent is on disk before
  sending returns; the broker hands a dead worker's tasks out again as
  soon as its connection drops.
"""

import logging
import signal
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import dramatiq
from dramatiq import Message, Worker
from dramatiq.brokers import rabbitmq as broker_module
from dramatiq.common import xq_name
from dramatiq.errors import BrokerConnectionError
from dramatiq.middleware import Middleware, Retries
from pika import exceptions as amqp_errors

from acme_orders import heartbeat
from acme_orders.settings import Settings

logger = logging.getLogger(__name__)

# A delivery of a task: called with its key and arguments.
Deliver = Callable[[str, list[Any]], None]
# A retried task waits 1 s, then twice as long each time, up to 10 minutes.
MIN_BACKOFF_MS = 1_000
MAX_BACKOFF_MS = 600_000
# How long a stopping worker waits for its running tasks.
STOP_TIMEOUT_MS = 600_000


@dataclass(frozen=True)
class Client:
    """What the service sends with: the broker, and the queue (TASK_QUEUE)."""

    broker: "QueueBroker"
    queue: str


def connect(settings: Settings) -> Client:
    """The broker at BROKER_URL, with TASK_QUEUE declared on it."""
    broker = make_broker(
        settings,
        middleware=[
            Retries(
                max_retries=settings.task_max_deliveries,
                min_backoff=MIN_BACKOFF_MS,
                max_backoff=MAX_BACKOFF_MS,
            )
        ],
    )
    broker.declare_queue(settings.task_queue)
    return Client(broker, settings.task_queue)


def close(client: Client) -> None:
    client.broker.close()


def is_outage(error: BaseException) -> bool:
    """Whether ``error`` means the broker cannot be reached right now."""
    return isinstance(error, OUTAGE_ERRORS)


def publish(client: Client, name: str, key: str, args: list[Any]) -> None:
    """Put the task ``name`` on the queue; a worker runs it with ``(key, args)``."""
    message: Message[Any] = Message(
        queue_name=client.queue,
        actor_name=name,
        args=(key, args),
        kwargs={},
        options={},
    )
    client.broker.enqueue(message)


def work(
    settings: Settings,
    deliveries: Mapping[str, Deliver],
    process_started: Callable[[], None],
    process_stopping: Callable[[], None],
) -> int:
    """Run the worker until SIGTERM (or SIGINT); its exit status.

    Calls ``process_started`` first (to open the service's connections),
    then runs ``deliveries[name](key, args)`` for each task of that name on
    WORKER_CONCURRENCY threads. SIGTERM stops it gracefully: it takes no new
    task, finishes the running ones, hands back those it had fetched ahead,
    and calls ``process_stopping``.
    """
    client = connect(settings)
    for name, deliver in deliveries.items():
        actor = dramatiq.actor(
            actor_name=name, queue_name=client.queue, broker=client.broker
        )
        actor(deliver)
    process_started()
    stop = threading.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signal_number, lambda *_: stop.set())
    worker = Worker(
        client.broker,
        queues={client.queue},
        worker_threads=settings.worker_concurrency,
    )
    worker.start()
    logger.info(
        "worker started",
        extra={"queue": client.queue, "threads": settings.worker_concurrency},
    )
    try:
        # Beats while every thread of the worker lives (heartbeat.py); a
        # thread that died ends the worker, for its supervisor to restart.
        while _all_alive(worker):
            heartbeat.beat()
            if stop.wait(heartbeat.HEARTBEAT_SECONDS):
                break
    finally:
        worker.stop(timeout=STOP_TIMEOUT_MS)
        process_stopping()
        close(client)
    return 0 if stop.is_set() else 1


def _all_alive(worker: Worker) -> bool:
    threads = [*worker.workers, *worker.consumers.values()]
    return all(thread.is_alive() for thread in threads)


# What differs by broker: the client, its errors, probing, deleting queues.
QueueBroker = broker_module.RabbitmqBroker
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    BrokerConnectionError,
    amqp_errors.AMQPError,
)
# pika logs each failed step of a connection at ERROR, a dozen lines for one
# outage that the service reports once itself (503, and /health/ready).
logging.getLogger("pika").setLevel(logging.CRITICAL)


def make_broker(settings: Settings, middleware: list[Middleware]) -> QueueBroker:
    return QueueBroker(
        url=pika_url(settings.broker_url),
        middleware=middleware,
        confirm_delivery=True,
    )


def ping(client: Client) -> None:
    try:
        client.broker.connection.process_data_events(time_limit=0)
    except amqp_errors.AMQPError:
        # The next use opens a new connection.
        del client.broker.connection
        raise


def backlog(client: Client) -> int:
    """How many tasks wait in TASK_QUEUE for a worker."""
    try:
        waiting, _delayed, _dead = client.broker.get_queue_message_counts(client.queue)
    finally:
        # Dramatiq opens a connection per thread, and a scrape comes on a
        # thread of its own: close this one's.
        del client.broker.connection
    return waiting


def delete_queue(settings: Settings) -> None:
    """Delete TASK_QUEUE (and its delay and dead-letter queues) from the
    broker, with what they hold (for tests)."""
    client = connect(settings)
    try:
        channel = client.broker.channel
        delays = client.broker.get_declared_delay_queues()
        for name in (client.queue, *delays, xq_name(client.queue)):
            channel.queue_delete(name)
    finally:
        close(client)


def pika_url(url: str) -> str:
    """``url`` as pika reads it: kombu (Celery) spells the virtual host "/"
    as a path of "//", pika only as "/%2F"."""
    if url.endswith("//"):
        return url.removesuffix("//") + "/%2F"
    return url
