"""The service's queue library, RQ, behind the functions every queue's
module offers (broker.py and worker.py call them, whatever the queue):
``connect``, ``close``, ``ping``, ``is_outage``, ``publish``, ``backlog``,
``work`` and ``delete_queue``.

At-least-once delivery, and why (the template's docs/tasks.md has more):

- a worker moves the job it takes into its started-job registry; one that
  dies leaves it there, and another worker's maintenance (every
  MAINTENANCE_SECONDS) puts it back on the queue once its worker has been
  silent for TASK_VISIBILITY_TIMEOUT_SECONDS, as a retry: every job carries
  ``Retry(max=TASK_MAX_DELIVERIES)``, without which RQ fails it instead;
- the job's own timeout is that same visibility timeout, so no job runs on
  while a copy of it is handed out again;
- WORKER_CONCURRENCY processes (RQ's worker pool, which starts a new one
  for each that dies), each running its jobs itself rather than forking
  one process per job, so that it keeps the service's connections;
- a failed job is retried at once: a delay would need RQ's scheduler,
  whose lock a dead worker keeps for a minute;
- Redis only: RQ keeps its queues and registries in Redis itself.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from redis import Redis
from redis import exceptions as redis_errors
from redis.backoff import NoBackoff
from redis.retry import Retry as RedisRetry
from rq import Queue, Retry, SimpleWorker
from rq.executions import Execution
from rq.job import Job
from rq.worker_pool import WorkerPool

from acme_orders import heartbeat
from acme_orders.settings import Settings

# A delivery of a task: called with its key and arguments.
Deliver = Callable[[str, list[Any]], None]
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    redis_errors.ConnectionError,
    redis_errors.TimeoutError,
)
# How often a worker looks for the jobs of dead workers (and for new jobs,
# between which it looks).
MAINTENANCE_SECONDS = 10
# Sending gives up after this long when Redis cannot be reached (503).
CONNECT_TIMEOUT_SECONDS = 2
SOCKET_TIMEOUT_SECONDS = 10
# A job that failed for good stays in RQ's failed-job registry this long.
FAILED_JOB_SECONDS = 7 * 24 * 3600

# This worker's deliveries by task name, filled in before its processes
# start: every job runs ``deliver``, which looks its task up here.
_deliveries: dict[str, Deliver] = {}


@dataclass(frozen=True)
class Client:
    """What the service sends with: TASK_QUEUE, and the limits of a job."""

    queue: Queue
    max_deliveries: int
    timeout_seconds: int


def connect(settings: Settings) -> Client:
    redis = Redis.from_url(
        settings.broker_url,
        socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
        socket_timeout=SOCKET_TIMEOUT_SECONDS,
        # Once more at once (a pooled connection may predate a restart of
        # Redis), not redis-py's ten times with backoff: seconds, not 503s.
        retry=RedisRetry(NoBackoff(), retries=1),
    )
    return Client(
        Queue(settings.task_queue, connection=redis),
        max_deliveries=settings.task_max_deliveries,
        timeout_seconds=settings.task_visibility_timeout_seconds,
    )


def close(client: Client) -> None:
    client.queue.connection.close()


def is_outage(error: BaseException) -> bool:
    """Whether ``error`` means the broker cannot be reached right now."""
    return isinstance(error, OUTAGE_ERRORS)


def ping(client: Client) -> None:
    client.queue.connection.ping()


def publish(client: Client, name: str, key: str, args: list[Any]) -> None:
    """Put the task ``name`` on the queue; a worker runs it with ``(key, args)``."""
    client.queue.enqueue(
        deliver,
        name,
        key,
        args,
        retry=Retry(max=client.max_deliveries),
        job_timeout=client.timeout_seconds,
        result_ttl=0,
        failure_ttl=FAILED_JOB_SECONDS,
    )


def backlog(client: Client) -> int:
    """How many tasks wait in TASK_QUEUE for a worker."""
    return client.queue.count


def deliver(name: str, key: str, args: list[Any]) -> None:
    """What every job runs: this worker's delivery of the task ``name``."""
    _deliveries[name](key, args)


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
    each task of that name. SIGTERM stops the worker gracefully: each
    process finishes its running job and exits.
    """
    _deliveries.update(deliveries)
    visibility_seconds = settings.task_visibility_timeout_seconds

    class TaskWorker(SimpleWorker):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # The pool passes its own arguments only; these are the worker's.
            kwargs.update(
                maintenance_interval=MAINTENANCE_SECONDS,
                # RQ waits this less 15 s for a job: then it looks again.
                worker_ttl=MAINTENANCE_SECONDS + 15,
            )
            super().__init__(*args, **kwargs)

        def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
            # How long a dead worker's job waits before it is handed out again.
            return visibility_seconds

        def execute_job(self, job: Job, queue: Queue) -> None:
            forget_lost_executions(job)
            super().execute_job(job, queue)

        def work(self, *args: Any, **kwargs: Any) -> bool:
            process_started()
            try:
                return super().work(*args, **kwargs)
            finally:
                process_stopping()

    class TaskWorkerPool(WorkerPool):
        def check_workers(self, respawn: bool = True) -> None:
            # Every second; the beats stop when the pool hangs or dies.
            super().check_workers(respawn)
            heartbeat.beat()

    pool = TaskWorkerPool(
        [settings.task_queue],
        connection=Redis.from_url(
            settings.broker_url, socket_connect_timeout=CONNECT_TIMEOUT_SECONDS
        ),
        num_workers=settings.worker_concurrency,
        worker_class=TaskWorker,
    )
    pool.start(logging_level=settings.log_level)
    return 0


def forget_lost_executions(job: Job) -> None:
    """Drop the job's records of runs whose data Redis has expired.

    A dead worker's run of a job expires a minute before the job forgets it
    (RQ 3.0): the job's next run, here, would then fail as it ends, on
    "Execution ... not found in Redis", and be retried for nothing.
    """
    registry = job.execution_registry
    for execution_id in registry.get_execution_ids():
        run = Execution(execution_id, job.id, connection=job.connection)
        if not job.connection.exists(run.key):
            job.connection.zrem(registry.key, execution_id)


def delete_queue(settings: Settings) -> None:
    """Delete TASK_QUEUE from the broker, with its jobs (for tests)."""
    client = connect(settings)
    try:
        client.queue.delete(delete_jobs=True)
    finally:
        close(client)
