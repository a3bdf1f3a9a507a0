"""Item use cases; the web layer maps them onto HTTP.

Every query is narrowed by a scope: the column values that tie an item to
whoever is asking (the web layer builds it from the request). That keeps one
code path whether or not items have owners.
"""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from acme_orders.items.models import Item
from acme_orders.items.schemas import ItemCreate, ItemUpdate
from acme_orders.items.tasks import enqueue_processing

# Column values every query is narrowed by, and every new item gets.
Scope = dict[str, int]


async def create_item(session: AsyncSession, scope: Scope, data: ItemCreate) -> Item:
    item = Item(**scope, **data.model_dump())
    session.add(item)
    await session.flush()
    # Recorded with the item, in one transaction; sent once it commits, so
    # that the worker finds the item.
    processing = enqueue_processing(session, item)
    await session.commit()
    await session.refresh(item)
    await processing.send()
    return item


async def list_items(
    session: AsyncSession, scope: Scope, *, limit: int, offset: int
) -> tuple[list[Item], int]:
    total = await session.scalar(
        select(func.count()).select_from(Item).filter_by(**scope),
    )
    rows = await session.scalars(
        select(Item).filter_by(**scope).order_by(Item.id).limit(limit).offset(offset)
    )
    return list(rows), total or 0


async def get_item(session: AsyncSession, scope: Scope, item_id: int) -> Item | None:
    """The item, or None when it does not exist or lies outside the scope."""
    # By primary key, which the session looks up without building a query,
    # then narrowed by the scope here: one statement either way.
    item = await session.get(Item, item_id)
    if item is None:
        return None
    in_scope = all(getattr(item, column) == value for column, value in scope.items())
    return item if in_scope else None


async def update_item(session: AsyncSession, item: Item, data: ItemUpdate) -> Item:
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(item, field, value)
    await session.commit()
    await session.refresh(item)
    return item


async def delete_item(session: AsyncSession, item: Item) -> None:
    await session.delete(item)
    await session.commit()
