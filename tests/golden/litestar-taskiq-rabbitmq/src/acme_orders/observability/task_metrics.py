"""Prometheus metrics of the task worker: deliveries per task and outcome,
and how long they ran, at /metrics on the worker's METRICS_PORT.

A worker runs tasks in processes of its own (a pool, or one per task), so
they count into files that a scrape adds up: prometheus_client's
multiprocess mode, which ``acme-orders worker`` turns on (with a
directory of its own unless PROMETHEUS_MULTIPROC_DIR names one) before
anything counts.
"""

from prometheus_client import Counter, Histogram, start_http_server

from acme_orders.observability import metrics
from acme_orders.settings import Settings

TASKS = Counter(
    "tasks_total", "Task deliveries run by this worker", ["task", "outcome"]
)
DURATION = Histogram(
    "task_duration_seconds", "Time a delivery took, its effect included", ["task"]
)


def record(task: str, outcome: str, seconds: float) -> None:
    """Count one delivery of ``task``: done, skipped, set_aside or failed."""
    TASKS.labels(task, outcome).inc()
    DURATION.labels(task).observe(seconds)


def serve(settings: Settings) -> None:
    """Answer /metrics on METRICS_PORT, from a thread of the worker."""
    start_http_server(
        settings.metrics_port, settings.host, registry=metrics.scrape_registry()
    )
