"""The items' background task: an example to model yours on.

Creating an item enqueues PROCESS_ITEM; a worker then stamps the item's
processed_at, which the API shows (null until then). The key names the
work, not the message: every delivery of it carries the same key, so the
stamp is applied once however often the broker delivers it.
"""

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


def processing_key(item: Item) -> str:
    """The business key of processing ``item``: the same for every delivery,
    and never another item's (SQLite hands a deleted item's id out again)."""
    return f"items.process:{item.id}:{item.created_at.isoformat()}"


async def enqueue_processing(item: Item) -> None:
    await tasks.enqueue(PROCESS_ITEM, processing_key(item), item.id)
