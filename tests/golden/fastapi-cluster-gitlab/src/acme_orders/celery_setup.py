"""The service's queue library, Celery, behind the functions every queue's
module offers (broker.py and worker.py call them, whatever the queue):
``connect``, ``close``, ``ping``, ``is_outage``, ``publish``, ``backlog``,
``work`` and ``delete_queue``. At-least-once delivery, in the settings below.

The delivery settings, and why (the template's docs/tasks.md has more):

- ``task_acks_late`` with ``task_reject_on_worker_lost``: a task is
  acknowledged once it ran, and one whose worker process died goes back to
  the queue instead of being acknowledged as failed;
- ``worker_prefetch_multiplier=1``: a worker holds only what it runs, so a
  dead worker strands no queued tasks behind the running one;
- ``worker_cancel_long_running_tasks_on_connection_loss``: after a lost
  broker connection the broker delivers the running tasks again, so the
  worker stops its own copies rather than run them twice;
- Redis: a task taken by a worker that died is handed out again after the
  visibility timeout (TASK_VISIBILITY_TIMEOUT_SECONDS) and at most 10 s
  more; the timeout must exceed the longest task, or a longer one would
  run twice at the same time.
"""

from collections.abc import Callable, Mapping
from typing import Any, cast

from celery import Celery, bootsteps
from celery.signals import setup_logging, worker_process_init, worker_process_shutdown
from celery.worker import WorkController
from kombu import Connection, Queue
from kombu.asynchronous.timer import Timer
from kombu.exceptions import ChannelError, OperationalError

from acme_orders import heartbeat
from acme_orders.settings import Settings

OUTAGE_ERRORS: tuple[type[BaseException], ...] = (OSError, OperationalError)
# Sending waits this long at most when the broker is down, then fails (503).
SEND_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}


# A delivery of a task: called with its key and arguments.
Deliver = Callable[[str, list[Any]], None]


@setup_logging.connect
def _keep_the_service_logging(**_: object) -> None:
    """Connected, so that Celery leaves logging as logs.py set it."""


def configure(app: Celery, settings: Settings) -> None:
    """Point ``app`` at BROKER_URL, with the delivery settings above."""
    app.conf.update(
        broker_url=settings.broker_url,
        broker_connection_timeout=2,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": settings.task_visibility_timeout_seconds,
            # Look for such tasks every 10 s (kombu's sweep interval), not
            # on every tenth sweep only: a dead worker's task comes back
            # within the visibility timeout plus 10 s, not plus 100 s.
            "unacked_restore_throttle": 1,
        },
        task_queues=[Queue(settings.task_queue)],
        task_default_queue=settings.task_queue,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_cancel_long_running_tasks_on_connection_loss=True,
        # The service's JSON logs (logs.py) stay in charge.
        worker_hijack_root_logger=False,
    )


def connect(settings: Settings) -> Celery:
    """The app the service sends with (BROKER_URL, the settings above)."""
    app = Celery("acme_orders")
    configure(app, settings)
    return app


def close(app: Celery) -> None:
    app.close()


def is_outage(error: BaseException) -> bool:
    """Whether ``error`` means the broker cannot be reached right now."""
    return isinstance(error, OUTAGE_ERRORS)


def ping(app: Celery) -> None:
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1)


def publish(app: Celery, name: str, key: str, args: list[Any]) -> None:
    """Put the task ``name`` on the queue; a worker runs it with ``(key, args)``."""
    app.send_task(name, args=(key, args), retry=True, retry_policy=SEND_RETRY_POLICY)


def backlog(app: Celery) -> int:
    """How many tasks wait in TASK_QUEUE for a worker."""
    queue = Queue(app.conf.task_default_queue)
    with app.connection_for_read() as connection:
        try:
            # The broker's reply (name, message count, consumers); the stubs
            # type it as the name alone.
            declared: Any = queue.bind(connection.default_channel).queue_declare(
                passive=True
            )
        except ChannelError:
            # No such queue: Redis deletes a list once it is empty, and
            # RabbitMQ has none before the first task. Nothing waits.
            return 0
    return int(declared.message_count)


def work(
    settings: Settings,
    deliveries: Mapping[str, Deliver],
    process_started: Callable[[], None],
    process_stopping: Callable[[], None],
) -> int:
    """Run the worker until SIGTERM (or SIGINT); its exit status.

    Celery forks WORKER_CONCURRENCY processes, each of which calls
    ``process_started`` first (to open its connections) and
    ``process_stopping`` last, and runs ``deliveries[name](key, args)`` for
    each task of that name. SIGTERM stops the worker gracefully: it takes no
    new task and exits once the running ones are done.
    """
    app = connect(settings)
    for name, deliver in deliveries.items():
        register(app, name, deliver, settings)

    def started(**_: object) -> None:
        process_started()

    def stopping(**_: object) -> None:
        process_stopping()

    # Held strongly: the signals would otherwise drop these closures.
    worker_process_init.connect(started, weak=False)
    worker_process_shutdown.connect(stopping, weak=False)
    app.steps["worker"].add(Heartbeat)
    app.worker_main(worker_arguments(settings))
    return 0


def delete_queue(settings: Settings) -> None:
    """Delete TASK_QUEUE from the broker, with what it holds (for tests)."""
    with Connection(settings.broker_url) as connection:
        Queue(settings.task_queue).bind(connection.default_channel).delete()


def register(app: Celery, name: str, deliver: Deliver, settings: Settings) -> None:
    """Make ``deliver(key, args)`` the Celery task ``name``.

    An error sends the task back with a growing delay; the receipts count
    the deliveries and set aside a task that comes back too often.
    """
    app.task(
        name=name,
        autoretry_for=(Exception,),
        retry_backoff=True,
        retry_backoff_max=min(600, settings.task_visibility_timeout_seconds),
        max_retries=settings.task_max_deliveries,
    )(deliver)


def worker_arguments(settings: Settings) -> list[str]:
    """The command line of the worker, as ``app.worker_main`` takes it."""
    return [
        # No banner: the log stays JSON lines (logs.py).
        "--quiet",
        "worker",
        f"--concurrency={settings.worker_concurrency}",
        f"--queues={settings.task_queue}",
        f"--loglevel={settings.log_level}",
        "--hostname=acme-orders@%h",
        # No chatter between workers at start: each works alone.
        "--without-gossip",
        "--without-mingle",
    ]


class Heartbeat(bootsteps.StartStopStep):
    """Beats (heartbeat.py) on the timer of the worker's own loop, so the
    beats stop when that loop hangs or dies."""

    requires = ("celery.worker.components:Timer",)

    def start(self, parent: WorkController) -> None:
        heartbeat.beat()
        # The stubs give the worker's timer the type of its bootstep.
        timer = cast(Timer, parent.timer)
        self._beating = timer.call_repeatedly(
            heartbeat.HEARTBEAT_SECONDS, heartbeat.beat
        )

    def stop(self, parent: WorkController) -> None:
        self._beating.cancel()
