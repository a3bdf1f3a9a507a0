#!/usr/bin/env python3
"""Background tasks, end to end: tasks per second from the API to the
effect, and what enqueueing adds to POST /items, per queue and broker.

For each queue x broker, a project is rendered (FastAPI, PostgreSQL, no
auth) and served (one web worker) beside its worker (two processes):

  end to end  N items are created through POST /items by 8 clients at once;
              the clock runs from the first request to the last item a
              worker stamped (processed_at): tasks per second, and the
              POST phase alone.
  enqueue     POST /items one at a time, in interleaved rounds, on this
              project and on the same answers without a queue: the median
              latency of each, and the difference (what recording the
              task with the item and sending it to the broker add to the
              request).

A script, not a test: it prints figures and asserts nothing. Run it with
the template's environment, from the repository (it uses the template's
test helpers to render, serve and run workers):

    .venv/bin/python benchmarks/tasks.py [--tasks 1000] [--rounds 3]

Needs PostgreSQL, Redis and RabbitMQ on 127.0.0.1 (DESIGN.md section 6).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.project_runner import (
    ProjectRun,
    ServerDatabase,
    free_port,
    run_sql,
    running_worker,
    served,
)
from tests.rendering import render, snapshot_template

BASE = {"database": "postgresql", "auth": "none", "observability": []}
SUBJECTS = {
    "celery / redis": {**BASE, "queue": "celery", "broker": "redis"},
    "celery / rabbitmq": {**BASE, "queue": "celery", "broker": "rabbitmq"},
    "dramatiq / redis": {**BASE, "queue": "dramatiq", "broker": "redis"},
    "dramatiq / rabbitmq": {**BASE, "queue": "dramatiq", "broker": "rabbitmq"},
    "rq / redis": {**BASE, "queue": "rq", "broker": "redis"},
    "taskiq / redis": {**BASE, "queue": "taskiq", "broker": "redis"},
    "taskiq / rabbitmq": {**BASE, "queue": "taskiq", "broker": "rabbitmq"},
}
CLIENTS = 8


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def prepared(template: Path, folder: Path, answers: dict[str, object]) -> ProjectRun:
    name = "-".join(str(answers.get(key, "none")) for key in ("queue", "broker"))
    project = ProjectRun(render(template, folder / name, answers), answers)
    project.sync()
    return project


def serving(stack: ExitStack, project: ProjectRun, queue_name: str) -> tuple[str, str]:
    """Serve ``project`` (with its worker, if it has a queue) until ``stack``
    closes; its base URL and database URL."""
    database_url = stack.enter_context(ServerDatabase.for_project(project))
    env = project.service_env(database_url, PORT=str(free_port()), TASK_QUEUE=queue_name)
    migrate = project.run(project.slug, "migrate", env=env)
    assert migrate.returncode == 0, migrate.stderr
    service = stack.enter_context(served(project, env))
    if project.broker:
        stack.enter_context(running_worker(project, {**env, "METRICS_PORT": str(free_port())}))
    return service.base_url, database_url


def end_to_end(base_url: str, database_url: str, count: int) -> tuple[float, float]:
    """Seconds to POST ``count`` items, and until a worker stamped the last."""
    started = time.monotonic()
    with httpx.Client(base_url=base_url, timeout=30) as client:

        def create(number: int) -> None:
            answer = client.post("/items", json={"name": f"item {number}"})
            assert answer.status_code == 201, answer.text

        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(create, range(count)))
    posted = time.monotonic() - started
    sql = "SELECT count(*) FROM items WHERE processed_at IS NULL"
    while int(run_sql("postgresql", database_url, sql)) > 0:
        assert time.monotonic() - started < 600, "the queue did not drain"
        time.sleep(0.05)
    return posted, time.monotonic() - started


def post_latencies(base_url: str, count: int) -> list[float]:
    """Milliseconds of ``count`` POST /items, one at a time."""
    latencies = []
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for number in range(count):
            started = time.perf_counter()
            answer = client.post("/items", json={"name": f"latency {number}"})
            latencies.append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 201, answer.text
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200, help="POSTs per latency round")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-tasks-") as work:
        folder = Path(work)
        template = snapshot_template(folder / "template")
        log("rendering and installing the projects")
        baseline = prepared(template, folder, BASE)
        projects = {name: prepared(template, folder, answers) for name, answers in SUBJECTS.items()}

        rows = []
        for name, project in projects.items():
            with ExitStack() as stack:
                queue_name = f"bench-{free_port()}"
                base_url, database_url = serving(stack, project, queue_name)
                log(f"{name}: {args.tasks} tasks end to end")
                posted, drained = end_to_end(base_url, database_url, args.tasks)
                rows.append((name, args.tasks / posted, args.tasks / drained))
        setup = f"{args.tasks} items, {CLIENTS} clients; 1 web worker, WORKER_CONCURRENCY=2"
        print(f"\nEnd to end ({setup})")
        print(
            f"{'queue / broker':<20} {'POST /items per s':>18} {'tasks per s, API to effect':>28}"
        )
        for name, post_rate, task_rate in rows:
            print(f"{name:<20} {post_rate:>18.0f} {task_rate:>28.0f}")

        log("POST /items latency, interleaved rounds")
        medians: dict[str, list[float]] = {"no queue": []} | {name: [] for name in projects}
        subjects = {"no queue": baseline, **projects}
        with ExitStack() as stack:
            urls = {
                name: serving(stack, project, f"bench-{free_port()}")[0]
                for name, project in subjects.items()
            }
            for _ in range(args.rounds):
                for name, base_url in urls.items():
                    medians[name].append(statistics.median(post_latencies(base_url, args.requests)))
        base = statistics.median(medians["no queue"])
        rounds = f"{args.rounds} rounds of {args.requests}"
        print(f"\nPOST /items, one at a time ({rounds}; median of medians)")
        print(f"{'queue / broker':<20} {'median ms':>10} {'added by enqueue, ms':>22}")
        for name, values in medians.items():
            median = statistics.median(values)
            added = "" if name == "no queue" else f"{median - base:+.2f}"
            print(f"{name:<20} {median:>10.2f} {added:>22}")


if __name__ == "__main__":
    main()
