"""The worker's metrics: each delivery counted by task and outcome."""

import os

import pytest
from prometheus_client import REGISTRY

from acme_orders import tasks
from acme_orders.settings import get_settings


def deliveries(task: str, outcome: str) -> float:
    labels = {"task": task, "outcome": outcome}
    return REGISTRY.get_sample_value("tasks_total", labels) or 0.0


@pytest.mark.django_db
def test_each_delivery_is_counted_by_outcome() -> None:
    def effect() -> None:
        return None

    task = tasks.Task("tests.counted", effect)
    key = f"tests.counted:{os.urandom(6).hex()}"
    outcomes = ("done", "skipped")
    before = {outcome: deliveries(task.name, outcome) for outcome in outcomes}
    tasks.run(get_settings(), task, key, [])
    tasks.run(get_settings(), task, key, [])
    assert deliveries(task.name, "done") == before["done"] + 1
    assert deliveries(task.name, "skipped") == before["skipped"] + 1
