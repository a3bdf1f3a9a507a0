"""The worker's tasks_waiting gauge, read from the real broker."""

import os
import time

import acme_orders.celery_setup as queue_library
from acme_orders.observability.task_metrics import Backlog
from acme_orders.settings import get_settings

# The broker may count a task a moment after it confirmed it.
COUNTED_WITHIN_SECONDS = 5.0


def waiting(backlog: Backlog) -> float | None:
    for family in backlog.collect():
        for sample in family.samples:
            return sample.value
    return None


def test_waiting_tasks_are_counted_on_the_broker() -> None:
    # A queue no worker listens to.
    queue = f"{get_settings().task_queue}-backlog-{os.urandom(4).hex()}"
    settings = get_settings().model_copy(update={"task_queue": queue})
    backlog = Backlog(settings)
    client = queue_library.connect(settings)
    try:
        assert waiting(backlog) == 0
        queue_library.publish(client, "tests.waiting", "tests.waiting:1", [])
        queue_library.publish(client, "tests.waiting", "tests.waiting:2", [])
        deadline = time.monotonic() + COUNTED_WITHIN_SECONDS
        while waiting(backlog) != 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert waiting(backlog) == 2
    finally:
        queue_library.close(client)
        queue_library.delete_queue(settings)


def test_a_broker_out_of_reach_leaves_the_gauge_out() -> None:
    settings = get_settings().model_copy(update={"broker_url": unreachable()})
    assert waiting(Backlog(settings)) is None


def unreachable() -> str:
    """BROKER_URL with a port nothing listens on."""
    scheme = get_settings().broker_url.split("://", 1)[0]
    return f"{scheme}://127.0.0.1:1/0"
