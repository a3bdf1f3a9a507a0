"""The items' background task: enqueued by the API on the real broker, run
by a real worker, applied once however often it is delivered, and run even
when the broker was down as the item was created.

These tests commit (pytest-django's transactional tests), so that a worker,
another process, sees their rows; the database is emptied after each.
"""

import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection
from rest_framework.test import APIClient

import acme_orders.rq_setup as queue_library
from acme_orders import broker, tasks
from acme_orders.items.tasks import PROCESS_ITEM
from acme_orders.settings import get_settings
from acme_orders.tasks import sweep
from acme_orders.tasks.models import TaskRun
from acme_orders.tasks.registry import TASKS
from tests.helpers import log_in
from tests.workers import (
    WORKER_SECONDS,
    as_environment,
    own_queue,
    running_worker,
    unreachable_broker,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def client(api_client: APIClient) -> APIClient:
    log_in(api_client)
    return api_client


def worker_database_url() -> str:
    """DATABASE_URL, naming the database these tests run on (pytest-django's)."""
    parts = urlsplit(get_settings().database_url)
    name = str(connection.settings_dict["NAME"])
    if parts.scheme == "sqlite":
        return f"sqlite:///{name}"
    return urlunsplit(parts._replace(path=f"/{name}"))


def created_item(client: APIClient) -> int:
    created = client.post("/items", {"name": "to process"})
    assert created.status_code == 201, created.content
    assert created.json()["processed_at"] is None
    item_id: int = created.json()["id"]
    return item_id


def processed_at(client: APIClient, item_id: int) -> Any:
    read = client.get(f"/items/{item_id}")
    assert read.status_code == 200, read.content
    return read.json()["processed_at"]


def wait_until_processed(client: APIClient, item_id: int) -> None:
    deadline = time.monotonic() + WORKER_SECONDS
    while processed_at(client, item_id) is None:
        assert time.monotonic() < deadline, "no worker processed the item"
        time.sleep(0.2)


def processing_key(item_id: int) -> str:
    """The key the item's processing was recorded under: the newest with its
    id (SQLite hands a deleted item's id out again)."""
    receipts = TaskRun.objects.filter(key__startswith=f"items.process:{item_id}:")
    return receipts.latest("sent_at").key


def test_a_worker_runs_what_the_api_enqueued(client: APIClient) -> None:
    item_id = created_item(client)
    with running_worker({"DATABASE_URL": worker_database_url()}):
        wait_until_processed(client, item_id)


def test_a_task_delivered_twice_has_one_effect(client: APIClient) -> None:
    item_id = created_item(client)
    key = processing_key(item_id)
    tasks.run(get_settings(), PROCESS_ITEM, key, [item_id])
    first = processed_at(client, item_id)
    tasks.run(get_settings(), PROCESS_ITEM, key, [item_id])
    assert first is not None
    assert processed_at(client, item_id) == first
    assert TaskRun.objects.get(key=key).deliveries == 1


def test_an_item_created_while_the_broker_is_down_is_processed_later(
    client: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    down = queue_library.connect(unreachable_broker(get_settings()))
    monkeypatch.setattr(broker, "client", lambda: down)
    # The item and its task commit together; the send fails, and the item
    # is created all the same.
    item_id = created_item(client)
    with own_queue(get_settings()) as settings:
        up = queue_library.connect(settings)
        monkeypatch.setattr(broker, "client", lambda: up)
        try:
            # A pass of the workers' sweep, once the task is overdue.
            receipt = TaskRun.objects.get(key=processing_key(item_id))
            receipt.sent_at -= 2 * sweep.resend_after(settings)
            receipt.save(update_fields=["sent_at"])
            assert receipt.key in tasks.resend_unfinished(settings, TASKS)
            database = {"DATABASE_URL": worker_database_url()}
            with running_worker({**as_environment(settings), **database}):
                wait_until_processed(client, item_id)
        finally:
            queue_library.close(up)
            queue_library.close(down)
