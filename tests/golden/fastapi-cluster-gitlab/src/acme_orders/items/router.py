"""HTTP routes of the items resource."""

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Response, status

from acme_orders.dependencies import Session
from acme_orders.items import service
from acme_orders.items.dependencies import ItemScope
from acme_orders.items.models import Item
from acme_orders.items.schemas import (
    MAX_ID,
    MAX_PAGE_SIZE,
    ItemCreate,
    ItemPage,
    ItemRead,
    ItemUpdate,
)

router = APIRouter(prefix="/items", tags=["items"])
# Ids in a path are checked against the column's range (see MAX_ID).
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    status.HTTP_404_NOT_FOUND: {"description": "No such item"}
}


async def _find(session: Session, scope: ItemScope, item_id: ItemId) -> Item:
    # Someone else's item answers 404 like a missing one: its existence is
    # not the caller's business.
    item = await service.get_item(session, scope, item_id)
    if item is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Item not found")
    return item


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_item(session: Session, scope: ItemScope, data: ItemCreate) -> ItemRead:
    item = await service.create_item(session, scope, data)
    return ItemRead.model_validate(item)


@router.get("")
async def list_items(
    session: Session,
    scope: ItemScope,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> ItemPage:
    items, total = await service.list_items(session, scope, limit=limit, offset=offset)
    return ItemPage(
        items=[ItemRead.model_validate(item) for item in items],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get("/{item_id}", responses=NOT_FOUND)
async def get_item(session: Session, scope: ItemScope, item_id: ItemId) -> ItemRead:
    return ItemRead.model_validate(await _find(session, scope, item_id))


@router.patch("/{item_id}", responses=NOT_FOUND)
async def update_item(
    session: Session, scope: ItemScope, item_id: ItemId, data: ItemUpdate
) -> ItemRead:
    item = await _find(session, scope, item_id)
    return ItemRead.model_validate(await service.update_item(session, item, data))


@router.delete(
    "/{item_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND
)
async def delete_item(session: Session, scope: ItemScope, item_id: ItemId) -> Response:
    await service.delete_item(session, await _find(session, scope, item_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
