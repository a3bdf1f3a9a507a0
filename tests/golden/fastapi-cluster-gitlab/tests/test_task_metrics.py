"""The worker's metrics: each delivery counted by task and outcome."""

import os

from prometheus_client import REGISTRY

from acme_orders import tasks
from acme_orders.resources import RESOURCES
from acme_orders.runtime import Runtime
from acme_orders.settings import Settings


def deliveries(task: str, outcome: str) -> float:
    labels = {"task": task, "outcome": outcome}
    return REGISTRY.get_sample_value("tasks_total", labels) or 0.0


async def test_each_delivery_is_counted_by_outcome(settings: Settings) -> None:
    async def effect(_session: object) -> None:
        return None

    task = tasks.Task("tests.counted", effect)
    key = f"tests.counted:{os.urandom(6).hex()}"
    outcomes = ("done", "skipped")
    before = {outcome: deliveries(task.name, outcome) for outcome in outcomes}
    async with Runtime(settings, RESOURCES).running() as runtime:
        await tasks.run(runtime, task, key, [])
        await tasks.run(runtime, task, key, [])
    assert deliveries(task.name, "done") == before["done"] + 1
    assert deliveries(task.name, "skipped") == before["skipped"] + 1
