"""The task machinery, with tasks of the tests' own: receipts that apply an
effect once per key, the cap on deliveries, sending while the broker is
down, and the sweep that sends again what never reached a worker."""

import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, update

from acme_orders import broker, db, tasks
from acme_orders.resources import RESOURCES
from acme_orders.runtime import Runtime
from acme_orders.settings import Settings
from acme_orders.tasks import runs
from acme_orders.tasks.models import TaskRun
from tests.workers import COUNTED_WITHIN_SECONDS, own_queue, unreachable_broker


@asynccontextmanager
async def committed_runtime(settings: Settings) -> AsyncIterator[Runtime]:
    """The service's runtime, on the real database: these tests commit, and
    remove what they made."""
    async with Runtime(settings, RESOURCES).running() as runtime:
        yield runtime


def pause() -> None:
    # Blocking holds nothing up here: the broker is another process.
    time.sleep(0.1)


def new_key(name: str) -> str:
    return f"{name}:{os.urandom(6).hex()}"


async def receipt(runtime: Runtime, key: str) -> TaskRun | None:
    async with db.database(runtime).session() as session:
        return await session.get(TaskRun, key)


async def forget(runtime: Runtime, key: str) -> None:
    async with db.database(runtime).session() as session:
        await session.execute(delete(TaskRun).where(TaskRun.key == key))
        await session.commit()


async def test_a_task_delivered_twice_has_one_effect(settings: Settings) -> None:
    effects: list[int] = []

    async def effect(_session: object, number: int) -> None:
        effects.append(number)

    task = tasks.Task("tests.counted", effect)
    key = new_key(task.name)
    async with committed_runtime(settings) as runtime:
        await tasks.run(runtime, task, key, [1])
        await tasks.run(runtime, task, key, [1])
        run = await receipt(runtime, key)
        await forget(runtime, key)
    assert effects == [1]
    assert run is not None
    assert run.deliveries == 1
    assert run.done_at is not None


async def test_a_task_that_keeps_failing_is_set_aside(settings: Settings) -> None:
    limited = settings.model_copy(update={"task_max_deliveries": 2})
    calls: list[int] = []

    async def failing(_session: object, number: int) -> None:
        calls.append(number)
        raise RuntimeError(number)

    task = tasks.Task("tests.failing", failing)
    key = new_key(task.name)
    async with committed_runtime(limited) as runtime:
        for number in range(2):
            with pytest.raises(RuntimeError):
                await tasks.run(runtime, task, key, [number])
        # The third delivery is acknowledged without running.
        await tasks.run(runtime, task, key, [2])
        await forget(runtime, key)
    assert calls == [0, 1]


async def test_a_task_sent_while_the_broker_is_down_stays_recorded(
    settings: Settings,
) -> None:
    async def effect(_session: object) -> None:
        pass

    task = tasks.Task("tests.unsent", effect)
    key = new_key(task.name)
    async with committed_runtime(unreachable_broker(settings)) as runtime:
        async with db.database(runtime).session() as session:
            enqueued = tasks.enqueue(session, task, key)
            await session.commit()
        await enqueued.send()  # logs the outage; raises nothing
        run = await receipt(runtime, key)
        await forget(runtime, key)
    assert run is not None
    assert (run.deliveries, run.done_at) == (0, None)


async def test_the_sweep_sends_again_a_task_that_never_reached_a_worker(
    settings: Settings,
) -> None:
    async def effect(_session: object) -> None:
        pass

    task = tasks.Task("tests.swept", effect)
    with own_queue(settings) as queue_settings:
        key = new_key(task.name)
        async with committed_runtime(queue_settings) as runtime:
            async with db.database(runtime).session() as session:
                tasks.enqueue(session, task, key)  # recorded, never sent
                await session.commit()
            try:
                # Sent a moment ago, as far as the sweep knows: not lost yet.
                assert key not in await tasks.resend_unfinished(runtime, [task])
                async with db.database(runtime).session() as session:
                    long_ago = datetime(2000, 1, 1, tzinfo=UTC)
                    await session.execute(
                        update(TaskRun)
                        .where(TaskRun.key == key)
                        .values(sent_at=long_ago)
                    )
                    await session.commit()
                assert key in await tasks.resend_unfinished(runtime, [task])
                deadline = time.monotonic() + COUNTED_WITHIN_SECONDS
                while await broker.backlog() < 1:
                    assert time.monotonic() < deadline, "the task is not on the queue"
                    pause()
                # A second sweep, with the same cutoff, finds it sent.
                cutoff = datetime(2000, 1, 2, tzinfo=UTC)
                database = db.database(runtime)
                assert not await runs.take_for_resending(database, key, cutoff)
            finally:
                await forget(runtime, key)
