"""Receipts of task runs: every task recorded, and at most one effect per key.

A task is recorded (``record``) in the transaction that makes its work, so
the two commit together: a task the broker never got, or lost, is still
known, and the sweep sends it again (``unfinished``, ``take_for_resending``).

A queue delivers a task at least once: again after a worker died before
acknowledging it, or after a broker lost track of the acknowledgement, or
after the sweep sent it again. Each task therefore carries a business key
(the same for every delivery of the same work), and its effect commits in
one transaction with the key's receipt, so a second delivery finds the
receipt and does nothing.

Deliveries are counted per key in a transaction of their own, committed
before the effect runs: a task that kills its worker every time is counted
too, and set aside once it reaches the limit (TASK_MAX_DELIVERIES).
"""

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy.exc
from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from acme_orders.db import Database
from acme_orders.tasks.models import TaskRun

# Tasks the sweep sends again in one pass, oldest first.
RESEND_BATCH = 100


def now() -> datetime:
    return datetime.now(UTC)


def record(session: AsyncSession, task: str, key: str, args: list[Any]) -> None:
    """Add the receipt of a new task to ``session``'s transaction."""
    session.add(TaskRun(key=key, task=task, args=args, deliveries=0, sent_at=now()))


async def count_delivery(
    database: Database, task: str, key: str, args: list[Any]
) -> int | None:
    """Count one more delivery of ``key``: how many there have been, or
    None when its effect was applied already."""
    async with database.session() as session:
        run = await session.get(TaskRun, key, with_for_update=True)
        if run is None:
            # Sent without a receipt (by hand, say): one is made now.
            run = TaskRun(key=key, task=task, args=args, deliveries=0, sent_at=now())
            session.add(run)
        if run.done_at is not None:
            return None
        run.deliveries += 1
        # Taken: the sweep leaves it alone for as long as if just sent.
        run.sent_at = now()
        deliveries = run.deliveries
        try:
            await session.commit()
        except sqlalchemy.exc.IntegrityError:
            # Another delivery of the same key inserted the row first.
            await session.rollback()
            return await count_delivery(database, task, key, args)
    return deliveries


async def claim(session: AsyncSession, key: str) -> bool:
    """Mark ``key`` done in ``session``'s transaction; False when another
    delivery did first. Commit it together with the effect."""
    # One conditional UPDATE: a concurrent delivery of the same key waits
    # on the row's lock and then matches nothing.
    result = await session.execute(
        update(TaskRun)
        .where(TaskRun.key == key, TaskRun.done_at.is_(None))
        .values(done_at=func.now()),
    )
    return cast(CursorResult[Any], result).rowcount == 1


async def unfinished(
    database: Database,
    tasks: Collection[str],
    sent_before: datetime,
    max_deliveries: int,
) -> list[TaskRun]:
    """Tasks named in ``tasks``, not done, last sent before ``sent_before``
    and not set aside: the oldest RESEND_BATCH of them."""
    async with database.session() as session:
        rows = await session.scalars(
            select(TaskRun)
            .where(
                TaskRun.done_at.is_(None),
                TaskRun.sent_at < sent_before,
                TaskRun.deliveries <= max_deliveries,
                TaskRun.task.in_(tasks),
            )
            .order_by(TaskRun.sent_at)
            .limit(RESEND_BATCH)
        )
        return list(rows)


async def take_for_resending(database: Database, key: str, before: datetime) -> bool:
    """Mark ``key`` sent now, unless it was sent, taken or done since
    ``before``: False when another sweep took it first."""
    async with database.session() as session:
        result = await session.execute(
            update(TaskRun)
            .where(
                TaskRun.key == key,
                TaskRun.done_at.is_(None),
                TaskRun.sent_at < before,
            )
            .values(sent_at=now()),
        )
        await session.commit()
    return cast(CursorResult[Any], result).rowcount == 1


async def give_back(database: Database, key: str, sent_at: datetime) -> None:
    """Undo ``take_for_resending`` for a send that failed: the next pass
    tries again, not one a whole resend delay later."""
    async with database.session() as session:
        await session.execute(
            update(TaskRun)
            .where(TaskRun.key == key, TaskRun.done_at.is_(None))
            .values(sent_at=sent_at),
        )
        await session.commit()
