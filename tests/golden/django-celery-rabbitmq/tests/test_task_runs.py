"""The task machinery, with tasks of the tests' own: receipts that apply an
effect once per key, the cap on deliveries, sending while the broker is
down, and the sweep that sends again what never reached a worker.

These tests commit (pytest-django's transactional tests), as a worker does;
the database is emptied after each.
"""

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import transaction

import acme_orders.celery_setup as queue_library
from acme_orders import broker, tasks
from acme_orders.settings import Settings, get_settings
from acme_orders.tasks import runs
from acme_orders.tasks.models import TaskRun
from tests.workers import COUNTED_WITHIN_SECONDS, own_queue, unreachable_broker

pytestmark = pytest.mark.django_db(transaction=True)


def new_key(name: str) -> str:
    return f"{name}:{os.urandom(6).hex()}"


def nothing(*_: Any) -> None:
    """An effect that changes nothing."""


@pytest.fixture
def sending_with(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Makes the service send with the settings given, until the test ends."""
    clients = []

    def use(settings: Settings) -> None:
        client = queue_library.connect(settings)
        clients.append(client)
        monkeypatch.setattr(broker, "client", lambda: client)

    yield use
    for client in clients:
        queue_library.close(client)


def test_a_task_delivered_twice_has_one_effect() -> None:
    effects: list[int] = []
    task = tasks.Task("tests.counted", effects.append)
    key = new_key(task.name)
    tasks.run(get_settings(), task, key, [1])
    tasks.run(get_settings(), task, key, [1])
    assert effects == [1]
    run = TaskRun.objects.get(key=key)
    assert run.deliveries == 1
    assert run.done_at is not None


def test_a_task_that_keeps_failing_is_set_aside() -> None:
    limited = get_settings().model_copy(update={"task_max_deliveries": 2})
    calls: list[int] = []

    def failing(number: int) -> None:
        calls.append(number)
        raise RuntimeError(number)

    task = tasks.Task("tests.failing", failing)
    key = new_key(task.name)
    for number in range(2):
        with pytest.raises(RuntimeError):
            tasks.run(limited, task, key, [number])
    # The third delivery is acknowledged without running.
    tasks.run(limited, task, key, [2])
    assert calls == [0, 1]


def test_a_task_sent_while_the_broker_is_down_stays_recorded(sending_with: Any) -> None:
    sending_with(unreachable_broker(get_settings()))
    task = tasks.Task("tests.unsent", nothing)
    key = new_key(task.name)
    with transaction.atomic():
        tasks.enqueue(task, key)
    # The send after the commit logged the outage and raised nothing.
    run = TaskRun.objects.get(key=key)
    assert (run.deliveries, run.done_at) == (0, None)


def test_the_sweep_sends_again_a_task_that_never_reached_a_worker(
    sending_with: Any,
) -> None:
    task = tasks.Task("tests.swept", nothing)
    key = new_key(task.name)
    with own_queue(get_settings()) as settings:
        sending_with(unreachable_broker(settings))
        with transaction.atomic():
            tasks.enqueue(task, key)  # recorded, never sent
        sending_with(settings)
        # Sent a moment ago, as far as the sweep knows: not lost yet.
        assert key not in tasks.resend_unfinished(settings, [task])
        long_ago = datetime(2000, 1, 1, tzinfo=UTC)
        TaskRun.objects.filter(key=key).update(sent_at=long_ago)
        assert key in tasks.resend_unfinished(settings, [task])
        deadline = time.monotonic() + COUNTED_WITHIN_SECONDS
        while broker.backlog() < 1:
            assert time.monotonic() < deadline, "the task is not on the queue"
            time.sleep(0.1)
        # A second sweep, with the same cutoff, finds it sent.
        cutoff = datetime(2000, 1, 2, tzinfo=UTC)
        assert not runs.take_for_resending(key, cutoff)
