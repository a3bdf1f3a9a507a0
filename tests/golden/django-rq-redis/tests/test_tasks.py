"""The background task: enqueued by the API on the real broker, run by a real
worker, and applied once however often it is delivered.

These tests commit (pytest-django's transactional tests), so that a worker,
another process, sees their rows; the database is emptied after each.
"""

import os
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection
from rest_framework.test import APIClient

from acme_orders import tasks
from acme_orders.items.models import Item
from acme_orders.items.tasks import PROCESS_ITEM, processing_key
from acme_orders.settings import get_settings
from acme_orders.tasks.models import TaskRun
from tests.helpers import log_in
from tests.workers import WORKER_SECONDS, running_worker

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


def test_a_worker_runs_what_the_api_enqueued(client: APIClient) -> None:
    item_id = created_item(client)
    with running_worker({"DATABASE_URL": worker_database_url()}):
        deadline = time.monotonic() + WORKER_SECONDS
        while processed_at(client, item_id) is None:
            assert time.monotonic() < deadline, "no worker processed the item"
            time.sleep(0.2)


def test_a_task_delivered_twice_has_one_effect(client: APIClient) -> None:
    item_id = created_item(client)
    key = processing_key(Item.objects.get(pk=item_id))
    tasks.run(get_settings(), PROCESS_ITEM, key, [item_id])
    first = processed_at(client, item_id)
    tasks.run(get_settings(), PROCESS_ITEM, key, [item_id])
    assert first is not None
    assert processed_at(client, item_id) == first
    assert TaskRun.objects.get(key=key).deliveries == 1


def test_a_task_that_keeps_failing_is_set_aside() -> None:
    limited = get_settings().model_copy(update={"task_max_deliveries": 2})
    calls: list[int] = []

    def failing(number: int) -> None:
        calls.append(number)
        raise RuntimeError(number)

    task = tasks.Task("tests.failing", failing)
    key = f"tests.failing:{os.urandom(6).hex()}"
    for number in range(2):
        with pytest.raises(RuntimeError):
            tasks.run(limited, task, key, [number])
    # The third delivery is acknowledged without running.
    tasks.run(limited, task, key, [2])
    assert calls == [0, 1]
