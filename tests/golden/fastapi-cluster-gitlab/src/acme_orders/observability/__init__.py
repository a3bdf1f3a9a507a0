"""Observability seam: each chosen integration configures itself here.

JSON logs with request ids are always on (see logs.py); metrics, traces and
error reports are the modules imported below. ``setup`` runs once per
process and knows no web framework; the web layer then hooks the app into
them (observability/web.py).
"""

from collections.abc import Callable

from acme_orders.observability import error_reporting, metrics, task_metrics, tracing
from acme_orders.settings import Settings

Integration = Callable[[Settings], None]
ListenPort = Callable[[Settings], int]

INTEGRATIONS: list[Integration] = [metrics.setup, tracing.setup, error_reporting.setup]

# Ports the server opens besides PORT, one per integration that serves apart
# from the API (see server.py).
LISTEN_PORTS: list[ListenPort] = [metrics.listen_port]


def setup(settings: Settings) -> None:
    for integration in INTEGRATIONS:
        integration(settings)


# Told of each delivery the task worker runs: (task, outcome, seconds), the
# outcome being done, skipped, set_aside or failed (see tasks.run).
TaskObserver = Callable[[str, str, float], None]
TASK_OBSERVERS: list[TaskObserver] = [task_metrics.record]
# What the task worker runs besides ``setup``: those that serve on their own.
WORKER_INTEGRATIONS: list[Integration] = [task_metrics.serve]


def setup_worker(settings: Settings) -> None:
    setup(settings)
    for integration in WORKER_INTEGRATIONS:
        integration(settings)
