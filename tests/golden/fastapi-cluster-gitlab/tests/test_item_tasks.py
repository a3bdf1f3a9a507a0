"""The items' background task: enqueued by the API on the real broker, run
by a real worker, applied once however often it is delivered, and run even
when the broker was down as the item was created."""

import time

import httpx
from sqlalchemy import select

from acme_orders import db, tasks
from acme_orders.items.tasks import PROCESS_ITEM
from acme_orders.main import create_app
from acme_orders.resources import RESOURCES
from acme_orders.runtime import Runtime
from acme_orders.settings import Settings
from acme_orders.tasks import sweep
from acme_orders.tasks.models import TaskRun
from acme_orders.tasks.registry import TASKS
from tests.clients import serve
from tests.helpers import auth_headers
from tests.workers import (
    WORKER_SECONDS,
    as_environment,
    own_queue,
    running_worker,
    unreachable_broker,
)


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


async def wait_until_processed(
    client: httpx.AsyncClient, item_id: int, headers: dict[str, str]
) -> None:
    deadline = time.monotonic() + WORKER_SECONDS
    while await processed_at(client, item_id, headers) is None:
        assert time.monotonic() < deadline, "no worker processed the item"
        pause()


async def processing_key(runtime: Runtime, item_id: int) -> str:
    """The key the item's processing was recorded under: the newest with its
    id (SQLite hands a deleted item's id out again)."""
    async with db.database(runtime).session() as session:
        key = await session.scalar(
            select(TaskRun.key)
            .where(TaskRun.key.startswith(f"items.process:{item_id}:"))
            .order_by(TaskRun.sent_at.desc())
            .limit(1)
        )
    assert key is not None
    return key


async def test_a_worker_runs_what_the_api_enqueued(settings: Settings) -> None:
    async with serve(create_app(settings)) as client:
        item_id, headers = await created_item(client)
        with running_worker(as_environment(settings)):
            await wait_until_processed(client, item_id, headers)
        await client.delete(f"/items/{item_id}", headers=headers)


async def test_a_task_delivered_twice_has_one_effect(settings: Settings) -> None:
    async with (
        serve(create_app(settings)) as client,
        Runtime(settings, RESOURCES).running() as runtime,
    ):
        item_id, headers = await created_item(client)
        key = await processing_key(runtime, item_id)
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


async def test_an_item_created_while_the_broker_is_down_is_processed_later(
    settings: Settings,
) -> None:
    # The item and its task commit together; the send fails, and the item
    # is created all the same.
    async with serve(create_app(unreachable_broker(settings))) as client:
        item_id, headers = await created_item(client)
    with own_queue(settings) as queue_settings:
        app = create_app(queue_settings)
        async with (
            serve(app) as client,
            Runtime(queue_settings, RESOURCES).running() as runtime,
        ):
            key = await processing_key(runtime, item_id)
            # A pass of the workers' sweep, once the task is overdue.
            async with db.database(runtime).session() as session:
                receipt = await session.get(TaskRun, key)
                assert receipt is not None
                receipt.sent_at -= 2 * sweep.resend_after(queue_settings)
                await session.commit()
            assert key in await tasks.resend_unfinished(runtime, TASKS)
            with running_worker(as_environment(queue_settings)):
                await wait_until_processed(client, item_id, headers)
            await client.delete(f"/items/{item_id}", headers=headers)
