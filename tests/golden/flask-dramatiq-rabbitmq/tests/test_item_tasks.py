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


def created_item(client: httpx.Client) -> tuple[int, dict[str, str]]:
    """A new item's id, made through the API, and the headers to reach it."""
    headers = auth_headers(client)
    created = client.post("/items", json={"name": "to process"}, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["processed_at"] is None
    return created.json()["id"], headers


def processed_at(
    client: httpx.Client, item_id: int, headers: dict[str, str]
) -> str | None:
    read = client.get(f"/items/{item_id}", headers=headers)
    assert read.status_code == 200, read.text
    stamp: str | None = read.json()["processed_at"]
    return stamp


def wait_until_processed(
    client: httpx.Client, item_id: int, headers: dict[str, str]
) -> None:
    deadline = time.monotonic() + WORKER_SECONDS
    while processed_at(client, item_id, headers) is None:
        assert time.monotonic() < deadline, "no worker processed the item"
        pause()


def processing_key(runtime: Runtime, item_id: int) -> str:
    """The key the item's processing was recorded under: the newest with its
    id (SQLite hands a deleted item's id out again)."""
    with db.database(runtime).session() as session:
        key = session.scalar(
            select(TaskRun.key)
            .where(TaskRun.key.startswith(f"items.process:{item_id}:"))
            .order_by(TaskRun.sent_at.desc())
            .limit(1)
        )
    assert key is not None
    return key


def test_a_worker_runs_what_the_api_enqueued(settings: Settings) -> None:
    with serve(create_app(settings)) as client:
        item_id, headers = created_item(client)
        with running_worker(as_environment(settings)):
            wait_until_processed(client, item_id, headers)
        client.delete(f"/items/{item_id}", headers=headers)


def test_a_task_delivered_twice_has_one_effect(settings: Settings) -> None:
    with (
        serve(create_app(settings)) as client,
        Runtime(settings, RESOURCES).running() as runtime,
    ):
        item_id, headers = created_item(client)
        key = processing_key(runtime, item_id)
        tasks.run(runtime, PROCESS_ITEM, key, [item_id])
        first = processed_at(client, item_id, headers)
        tasks.run(runtime, PROCESS_ITEM, key, [item_id])
        assert first is not None
        assert processed_at(client, item_id, headers) == first
        with db.database(runtime).session() as session:
            receipt = session.get(TaskRun, key)
        assert receipt is not None
        assert receipt.deliveries == 1
        client.delete(f"/items/{item_id}", headers=headers)


def test_an_item_created_while_the_broker_is_down_is_processed_later(
    settings: Settings,
) -> None:
    # The item and its task commit together; the send fails, and the item
    # is created all the same.
    with serve(create_app(unreachable_broker(settings))) as client:
        item_id, headers = created_item(client)
    with own_queue(settings) as queue_settings:
        app = create_app(queue_settings)
        with (
            serve(app) as client,
            Runtime(queue_settings, RESOURCES).running() as runtime,
        ):
            key = processing_key(runtime, item_id)
            # A pass of the workers' sweep, once the task is overdue.
            with db.database(runtime).session() as session:
                receipt = session.get(TaskRun, key)
                assert receipt is not None
                receipt.sent_at -= 2 * sweep.resend_after(queue_settings)
                session.commit()
            assert key in tasks.resend_unfinished(runtime, TASKS)
            with running_worker(as_environment(queue_settings)):
                wait_until_processed(client, item_id, headers)
            client.delete(f"/items/{item_id}", headers=headers)
