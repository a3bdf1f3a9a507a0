"""At-least-once, and once only: a thousand tasks through faults (DESIGN.md section 9).

For each queue and broker, a rendered project's worker is killed with
SIGKILL twice while its queue drains, or its broker is restarted: no task
may be lost, and no effect applied twice. The figures (time to drain, how
long a dead worker's task takes to come back) are printed; run with -s.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.private_services import private_broker_redis, private_rabbitmq
from tests.project_runner import MACHINE_BROKERS, ProjectRun, ServerDatabase
from tests.rendering import RenderCache
from tests.services import require_services_of
from tests.task_delivery import (
    QueueRun,
    kill_the_worker,
    restart_the_broker,
    run_with_faults,
)

pytestmark = pytest.mark.project

TASKS = 1000
# One project per queue and broker: PostgreSQL (the receipts' row locks
# meet real concurrency), no auth (items need no owner).
DELIVERY_PROJECTS: list[dict[str, object]] = [
    {"queue": "celery", "broker": "redis", "database": "postgresql", "auth": "none"},
    {
        "queue": "celery",
        "broker": "rabbitmq",
        "framework": "django",
        "database": "postgresql",
        "auth": "none",
    },
    # Dramatiq runs tasks on threads: an async framework's (the task loop on
    # a thread of its own) and a sync one's.
    {
        "queue": "dramatiq",
        "broker": "redis",
        "framework": "litestar",
        "database": "postgresql",
        "auth": "none",
    },
    {
        "queue": "dramatiq",
        "broker": "rabbitmq",
        "framework": "flask",
        "database": "postgresql",
        "auth": "none",
    },
    # Taskiq: asyncio, the async frameworks' queue.
    {"queue": "taskiq", "broker": "redis", "database": "postgresql", "auth": "none"},
    {
        "queue": "taskiq",
        "broker": "rabbitmq",
        "framework": "litestar",
        "database": "postgresql",
        "auth": "none",
    },
    # RQ: Redis only; a process pool, each process running its own jobs.
    {
        "queue": "rq",
        "broker": "redis",
        "framework": "django",
        "database": "postgresql",
        "auth": "none",
    },
]


def _id(answers: dict[str, object]) -> str:
    return "-".join(str(answers.get(key, "fastapi")) for key in ("framework", "queue", "broker"))


@pytest.fixture(scope="module", params=DELIVERY_PROJECTS, ids=_id)
def project(
    request: pytest.FixtureRequest,
    rendered: RenderCache,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[ProjectRun]:
    answers: dict[str, object] = request.param
    require_services_of(answers)
    workdir = tmp_path_factory.mktemp(_id(answers))
    yield ProjectRun.installed(rendered(answers), workdir, answers)


def test_a_killed_worker_loses_no_task_and_runs_none_twice(
    project: ProjectRun, tmp_path: Path
) -> None:
    with ServerDatabase.for_project(project) as database_url:
        run = QueueRun(project, database_url, MACHINE_BROKERS[project.broker], tmp_path)
        outcome = run_with_faults(run, TASKS, kill_the_worker, at=(0.3, 0.6))
    print(f"\n{_id(project.answers)}, worker killed twice: {outcome.summary()}")
    assert (outcome.lost, outcome.duplicated) == (0, 0), outcome.summary()


def test_a_restarted_broker_loses_no_task_and_runs_none_twice(
    project: ProjectRun, tmp_path: Path
) -> None:
    private = private_broker_redis if project.broker == "redis" else private_rabbitmq
    with private() as broker, ServerDatabase.for_project(project) as database_url:
        run = QueueRun(project, database_url, broker.url, tmp_path)
        outcome = run_with_faults(run, TASKS, restart_the_broker(broker), at=(0.3,))
    print(f"\n{_id(project.answers)}, broker restarted: {outcome.summary()}")
    assert (outcome.lost, outcome.duplicated) == (0, 0), outcome.summary()


# Celery's default: a task is acknowledged as it starts, so a worker killed
# while running it takes it along.
ACKED_EARLY = ("celery_setup.py", "task_acks_late=True,", "task_acks_late=False,")
# The worker processes never start their sweep.
NO_SWEEP = ("worker.py", "self._sweep.start()", "None")


@pytest.mark.parametrize("project", DELIVERY_PROJECTS[:1], ids=_id, indirect=True)
def test_the_count_catches_tasks_acknowledged_before_they_ran(
    project: ProjectRun, tmp_path: Path
) -> None:
    broken = project.broken_copy(tmp_path, *ACKED_EARLY, NO_SWEEP)
    with ServerDatabase.for_project(broken) as database_url:
        run = QueueRun(broken, database_url, MACHINE_BROKERS[broken.broker], tmp_path)
        # Long enough for a dead worker's task to come back (the visibility
        # timeout and kombu's sweep), if it were coming.
        outcome = run_with_faults(run, TASKS, kill_the_worker, at=(0.2, 0.4, 0.6), drain_seconds=45)
    print(f"\n{_id(broken.answers)}, acknowledged early, no sweep: {outcome.summary()}")
    assert outcome.lost > 0, outcome.summary()


@pytest.mark.parametrize("project", DELIVERY_PROJECTS[:1], ids=_id, indirect=True)
def test_the_sweep_sends_again_what_the_broker_lost(project: ProjectRun, tmp_path: Path) -> None:
    # The same planted loss, with the sweep on: the tasks killed with their
    # worker are sent again once the queue is empty, and lost no more.
    broken = project.broken_copy(tmp_path, *ACKED_EARLY)
    with ServerDatabase.for_project(broken) as database_url:
        run = QueueRun(broken, database_url, MACHINE_BROKERS[broken.broker], tmp_path)
        outcome = run_with_faults(run, TASKS, kill_the_worker, at=(0.2, 0.4, 0.6))
    print(f"\n{_id(broken.answers)}, acknowledged early, with the sweep: {outcome.summary()}")
    assert (outcome.lost, outcome.duplicated) == (0, 0), outcome.summary()
