"""Receipts of task runs: at most one effect per business key.

A queue delivers a task at least once: again after a worker died before
acknowledging it, or after a broker lost track of the acknowledgement. Each
task therefore carries a business key (the same for every delivery of the
same work), and its effect commits in one transaction with the key's
receipt, so a second delivery finds the receipt and does nothing.

Deliveries are counted per key in a transaction of their own, committed
before the effect runs: a task that kills its worker every time is counted
too, and set aside once it reaches the limit (TASK_MAX_DELIVERIES).
"""

from typing import Any, cast

import sqlalchemy.exc
from sqlalchemy import CursorResult, func, update
from sqlalchemy.ext.asyncio import AsyncSession

from acme_orders.db import Database
from acme_orders.tasks.models import TaskRun


async def count_delivery(database: Database, key: str) -> int | None:
    """Count one more delivery of ``key``: how many there have been, or
    None when its effect was applied already."""
    async with database.session() as session:
        run = await session.get(TaskRun, key, with_for_update=True)
        if run is None:
            run = TaskRun(key=key, deliveries=0)
            session.add(run)
        if run.done_at is not None:
            return None
        run.deliveries += 1
        deliveries = run.deliveries
        try:
            await session.commit()
        except sqlalchemy.exc.IntegrityError:
            # Another delivery of the same key inserted the row first.
            await session.rollback()
            return await count_delivery(database, key)
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
