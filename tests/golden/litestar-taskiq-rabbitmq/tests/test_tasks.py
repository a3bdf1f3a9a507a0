"""The background task: enqueued by the API on the real broker, run by a real
worker, and applied once however often it is delivered."""

import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from pydantic import SecretStr

from acme_orders import db, tasks
from acme_orders.items.models import Item
from acme_orders.items.tasks import PROCESS_ITEM, processing_key
from acme_orders.main import create_app
from acme_orders.resources import RESOURCES
from acme_orders.runtime import Runtime
from acme_orders.settings import Settings
from acme_orders.tasks.models import TaskRun
from tests.clients import serve
from tests.helpers import auth_headers
from tests.workers import WORKER_SECONDS, running_worker


def as_environment(settings: Settings) -> dict[str, str]:
    """The variables that give a process ``settings``."""
    variables = {}
    for name, value in settings.model_dump().items():
        if value is None:
            continue  # unset, as the variable would be
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        elif isinstance(value, list):
            value = ",".join(value)
        variables[name.upper()] = str(value)
    return variables


@asynccontextmanager
async def committed_runtime(settings: Settings) -> AsyncIterator[Runtime]:
    """The service's runtime, on the real database: these tests commit, and
    remove what they made."""
    async with Runtime(settings, RESOURCES).running() as runtime:
        yield runtime


def pause() -> None:
    # Blocking holds nothing up here: the worker is another process.
    time.sleep(0.2)


async def created_item(client: httpx.AsyncClient) -> tuple[int, dict[str, str]]:
    """A new item's id, made through the API, and the headers to reach it."""
    headers = await auth_headers(client)
    created = await client.post("/items", json={"name": "to process"}, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["processed_at"] is None
    return created.json()["id"], headers


async def processed_at(
    client: httpx.AsyncClient, item_id: int, headers: dict[str, str]
) -> str | None:
    read = await client.get(f"/items/{item_id}", headers=headers)
    assert read.status_code == 200, read.text
    stamp: str | None = read.json()["processed_at"]
    return stamp


async def test_a_worker_runs_what_the_api_enqueued(settings: Settings) -> None:
    async with serve(create_app(settings)) as client:
        item_id, headers = await created_item(client)
        with running_worker(as_environment(settings)):
            deadline = time.monotonic() + WORKER_SECONDS
            while await processed_at(client, item_id, headers) is None:
                assert time.monotonic() < deadline, "no worker processed the item"
                pause()
        await client.delete(f"/items/{item_id}", headers=headers)


async def test_a_task_delivered_twice_has_one_effect(settings: Settings) -> None:
    async with (
        serve(create_app(settings)) as client,
        committed_runtime(settings) as runtime,
    ):
        item_id, headers = await created_item(client)
        async with db.database(runtime).session() as session:
            item = await session.get(Item, item_id)
            assert item is not None
            key = processing_key(item)
        await tasks.run(runtime, PROCESS_ITEM, key, [item_id])
        first = await processed_at(client, item_id, headers)
        await tasks.run(runtime, PROCESS_ITEM, key, [item_id])
        assert first is not None
        assert await processed_at(client, item_id, headers) == first
        async with db.database(runtime).session() as session:
            receipt = await session.get(TaskRun, key)
        assert receipt is not None
        assert receipt.deliveries == 1
        await client.delete(f"/items/{item_id}", headers=headers)


async def test_a_task_that_keeps_failing_is_set_aside(settings: Settings) -> None:
    limited = settings.model_copy(update={"task_max_deliveries": 2})
    calls: list[int] = []

    async def failing(_session: object, number: int) -> None:
        calls.append(number)
        raise RuntimeError(number)

    task = tasks.Task("tests.failing", failing)
    key = f"tests.failing:{os.urandom(6).hex()}"
    async with committed_runtime(limited) as runtime:
        for number in range(2):
            with pytest.raises(RuntimeError):
                await tasks.run(runtime, task, key, [number])
        # The third delivery is acknowledged without running.
        await tasks.run(runtime, task, key, [2])
    assert calls == [0, 1]
