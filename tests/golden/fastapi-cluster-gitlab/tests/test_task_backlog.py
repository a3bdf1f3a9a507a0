"""The worker's tasks_waiting gauge, read from the real broker."""

import time

import acme_orders.celery_setup as queue_library
from acme_orders.observability.task_metrics import Backlog
from acme_orders.settings import get_settings
from tests.workers import COUNTED_WITHIN_SECONDS, own_queue, unreachable_broker


def waiting(backlog: Backlog) -> float | None:
    for family in backlog.collect():
        for sample in family.samples:
            return sample.value
    return None


def test_waiting_tasks_are_counted_on_the_broker() -> None:
    # A queue no worker listens to.
    with own_queue(get_settings()) as settings:
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


def test_a_broker_out_of_reach_leaves_the_gauge_out() -> None:
    assert waiting(Backlog(unreachable_broker(get_settings()))) is None
