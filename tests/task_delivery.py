"""Tasks under faults: what a rendered project's queue loses or runs twice.

A run creates items (each enqueues its processing task, as POST /items
does), starts the project's worker and injects a fault while the queue
drains: the worker killed by SIGKILL, its whole process group at once (a
container's death), or the broker restarted. The database says what was
lost (items never stamped); the worker's log says what ran twice (a key
whose effect was applied by two deliveries).
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import secrets
import signal
import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.private_services import PrivateBrokerRedis, PrivateRabbitMQ
from tests.project_runner import ProjectRun, free_port, run_sql

ENQUEUE_SCRIPT = Path(__file__).with_name("enqueue_items.py")
# Short, so that a dead worker's task on Redis comes back within seconds;
# production keeps an hour (TASK_VISIBILITY_TIMEOUT_SECONDS).
VISIBILITY_SECONDS = 5
DRAIN_SECONDS = 180


@dataclass
class Outcome:
    """What became of ``total`` tasks."""

    total: int
    lost: int
    duplicated: int
    # Deliveries the receipts turned away: the effect was already applied.
    skipped: int
    drain_seconds: float
    # Per fault: seconds until the tasks in flight at that moment were done
    # (None when none was in flight).
    comeback_seconds: list[float | None] = field(default_factory=list)
    # Workers that exited by themselves and were started again, as a
    # supervisor (compose's restart policy, Kubernetes) would.
    restarts: int = 0

    def summary(self) -> str:
        comebacks = ", ".join("-" if s is None else f"{s:.1f} s" for s in self.comeback_seconds)
        return (
            f"{self.total} tasks: {self.lost} lost, {self.duplicated} run twice,"
            f" {self.skipped} redeliveries skipped; drained in {self.drain_seconds:.1f} s;"
            f" in-flight tasks back after: {comebacks}; workers restarted after exiting:"
            f" {self.restarts}"
        )


class QueueRun:
    """One project, one database and one broker queue of its own."""

    def __init__(self, project: ProjectRun, database_url: str, broker_url: str, logs: Path):
        self.project = project
        self.database_url = database_url
        self.package = str(project.answers["package_name"])
        self.env = project.test_env()
        self.env.update(
            ENVIRONMENT="test",
            SECRET_KEY=secrets.token_urlsafe(48),
            DATABASE_URL=database_url,
            BROKER_URL=broker_url,
            TASK_QUEUE=f"faults-{uuid.uuid4().hex[:12]}",
            TASK_VISIBILITY_TIMEOUT_SECONDS=str(VISIBILITY_SECONDS),
            WORKER_CONCURRENCY="2",
            # Tests run side by side: no worker may take the default port.
            METRICS_PORT=str(free_port()),
        )
        self.logs = logs
        self.workers: list[subprocess.Popen[bytes]] = []
        self.restarts = 0

    def prepare(self, count: int) -> None:
        """Migrate, then create ``count`` items: ``count`` tasks on the queue."""
        for command in (
            ["python", "-m", f"{self.package}.cli", "migrate"],
            ["python", str(ENQUEUE_SCRIPT), self.package, str(count)],
        ):
            result = self.project.run(*command, env=self.env)
            assert result.returncode == 0, result.stdout + result.stderr

    def start_worker(self) -> subprocess.Popen[bytes]:
        log = (self.logs / f"worker-{len(self.workers)}.log").open("wb")
        python = self.project.path / ".venv" / "bin" / "python"
        worker = subprocess.Popen(
            [str(python), "-m", f"{self.package}.cli", "worker"],
            cwd=self.project.path,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group: a kill takes the pool's children too.
            start_new_session=True,
        )
        self.workers.append(worker)
        return worker

    def kill(self, worker: subprocess.Popen[bytes]) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(30)

    def stop_workers(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(worker.pid, signal.SIGTERM)
        for worker in self.workers:
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                self.kill(worker)

    def supervise(self) -> None:
        """Start the worker again if it exited by itself, as a supervisor would."""
        if self.workers and self.workers[-1].poll() is not None:
            self.restarts += 1
            self.start_worker()

    def query(self, sql: str) -> str:
        return run_sql("postgresql", self.database_url, sql)

    def processed(self) -> int:
        return int(self.query("SELECT count(*) FROM items WHERE processed_at IS NOT NULL"))

    def in_flight(self) -> list[int]:
        """Items whose task a worker has begun and not finished."""
        keys = self.query("SELECT key FROM task_runs WHERE done_at IS NULL AND deliveries > 0")
        return [int(key.split(":")[1]) for key in keys.split()]

    def done_by(self, item_ids: list[int]) -> float:
        """When the last of ``item_ids`` was stamped (seconds since the epoch)."""
        ids = ",".join(str(item) for item in item_ids)
        sql = f"SELECT extract(epoch FROM max(processed_at)) FROM items WHERE id IN ({ids})"
        return float(self.query(sql))

    def wait_for(self, count: int, seconds: float = DRAIN_SECONDS) -> bool:
        deadline = time.monotonic() + seconds
        while self.processed() < count:
            if time.monotonic() > deadline:
                return False
            self.supervise()
            time.sleep(0.1)
        return True

    def effects_per_key(self) -> tuple[collections.Counter[str], int]:
        """How often the workers' logs say each key's effect was applied, and
        how many deliveries they turned away as done already."""
        applied: collections.Counter[str] = collections.Counter()
        skipped = 0
        for log in sorted(self.logs.glob("worker-*.log")):
            for line in log.read_text(errors="replace").splitlines():
                with contextlib.suppress(ValueError):
                    record = json.loads(line)
                    if record.get("message") == "task done":
                        applied[record["key"]] += 1
                    elif str(record.get("message", "")).startswith("task skipped"):
                        skipped += 1
        return applied, skipped

    def outcome(
        self, total: int, started: float, faults: list[tuple[float, list[int]]], seconds: float
    ) -> Outcome:
        drained = self.wait_for(total, seconds)
        drain_seconds = time.monotonic() - started
        self.stop_workers()
        applied, skipped = self.effects_per_key()
        comebacks: list[float | None] = [
            self.done_by(items) - at if items and drained else None for at, items in faults
        ]
        return Outcome(
            total=total,
            lost=total - self.processed(),
            duplicated=sum(1 for count in applied.values() if count > 1),
            skipped=skipped,
            drain_seconds=drain_seconds,
            comeback_seconds=comebacks,
            restarts=self.restarts,
        )


Fault = Callable[[QueueRun], list[int]]


def run_with_faults(
    run: QueueRun,
    total: int,
    fault: Fault,
    at: tuple[float, ...],
    drain_seconds: float = DRAIN_SECONDS,
) -> Outcome:
    """Drain ``total`` tasks, calling ``fault(run)`` as each fraction in
    ``at`` of them is done (it answers the items whose tasks it caught in
    flight); tasks not done ``drain_seconds`` after the start are lost."""
    run.prepare(total)
    started = time.monotonic()
    run.start_worker()
    faults: list[tuple[float, list[int]]] = []
    try:
        for fraction in at:
            assert run.wait_for(int(total * fraction)), "the queue stalled before the fault"
            at_fault = time.time()
            faults.append((at_fault, fault(run)))
        return run.outcome(total, started, faults, drain_seconds)
    finally:
        run.stop_workers()


def kill_the_worker(run: QueueRun) -> list[int]:
    """SIGKILL the running worker's process group, then start another."""
    run.kill(run.workers[-1])
    in_flight = run.in_flight()
    run.start_worker()
    return in_flight


def restart_the_broker(broker: PrivateBrokerRedis | PrivateRabbitMQ) -> Fault:
    """A fault that stops the broker (by PID) and starts it again."""

    def restart(run: QueueRun) -> list[int]:
        broker.stop()
        in_flight = run.in_flight()
        broker.start()
        return in_flight

    return restart
