"""Prometheus metrics of the task worker, at /metrics on its METRICS_PORT:
deliveries per task and outcome, how long they ran, and how many tasks wait.

A worker runs tasks in processes of its own (a pool, or one per task), so
they count into files that a scrape adds up: prometheus_client's
multiprocess mode, which ``acme-orders worker`` turns on (with a
directory of its own unless PROMETHEUS_MULTIPROC_DIR names one) before
anything counts. The backlog is asked of the broker at each scrape.
"""

import logging
import threading
from collections.abc import Iterator
from typing import Any

from prometheus_client import Counter, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

import acme_orders.celery_setup as queue_library
from acme_orders.observability import metrics
from acme_orders.settings import Settings

logger = logging.getLogger(__name__)

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


class Backlog(Collector):
    """``tasks_waiting``: the tasks in TASK_QUEUE no worker has taken yet, as
    the broker counts them at each scrape; left out of a scrape while the
    broker cannot tell, rather than failing the scrape."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._client: Any = None
        self._asking = threading.Lock()

    def describe(self) -> Iterator[GaugeMetricFamily]:
        yield self._family()

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = self._family()
        try:
            with self._asking:
                if self._client is None:
                    self._client = queue_library.connect(self._settings)
                family.add_metric([], queue_library.backlog(self._client))
        except Exception as error:  # noqa: BLE001 - whatever it was, no reading
            # The scrape goes on without the gauge, and the log says why.
            logger.warning(
                "task backlog unknown", extra={"error": type(error).__name__}
            )
            return
        yield family

    def _family(self) -> GaugeMetricFamily:
        return GaugeMetricFamily(
            "tasks_waiting", "Tasks in the queue that no worker has taken yet"
        )


def serve(settings: Settings) -> None:
    """Answer /metrics on METRICS_PORT, from a thread of the worker."""
    registry = metrics.scrape_registry()
    registry.register(Backlog(settings))
    start_http_server(settings.metrics_port, settings.host, registry=registry)
