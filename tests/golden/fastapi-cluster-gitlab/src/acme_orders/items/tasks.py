"""The items' background task: an example to model yours on.

Creating an item enqueues PROCESS_ITEM in the transaction that creates the
item, and sends it once that commits; a worker then stamps the item's
processed_at, which the API shows (null until then). The key names the
work, not the message: every delivery of it carries the same key, so the
stamp is applied once however often the broker delivers it.
"""

import uuid

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from acme_orders import tasks
from acme_orders.items.models import Item


async def mark_processed(session: AsyncSession, item_id: int) -> None:
    """The effect: stamp the item. Gone meanwhile? Nothing to do."""
    item = await session.get(Item, item_id)
    if item is not None:
        item.processed_at = func.now()


PROCESS_ITEM = tasks.Task("items.process", mark_processed)


def enqueue_processing(session: AsyncSession, item: Item) -> tasks.Enqueued:
    """Record the processing of ``item`` (flushed: it has its id) in the
    session's transaction; ``send`` the result once that commits."""
    # Made once and kept in the receipt, which every delivery carries; unique,
    # as the item's id alone is not (SQLite hands a deleted item's id out
    # again).
    key = f"items.process:{item.id}:{uuid.uuid4().hex}"
    return tasks.enqueue(session, PROCESS_ITEM, key, item.id)
