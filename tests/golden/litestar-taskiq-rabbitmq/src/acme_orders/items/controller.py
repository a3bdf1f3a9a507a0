"""HTTP routes of the items resource."""

from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.openapi import ResponseSpec
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from acme_orders.dependencies import Session
from acme_orders.items import service
from acme_orders.items.dependencies import DEPENDENCIES, SECURITY
from acme_orders.items.models import Item
from acme_orders.items.schemas import (
    MAX_ID,
    MAX_PAGE_SIZE,
    ItemCreate,
    ItemPage,
    ItemRead,
    ItemUpdate,
)

# Ids in a path are checked against the column's range (see MAX_ID). The
# route takes any segment (``{item_id:str}``) so that one that is not a
# number is a 422 naming the parameter, as it is for every framework, not
# a 404 for a route that does not match.
ItemId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
Limit = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)]
Offset = Annotated[int, QueryParameter(ge=0, le=MAX_ID)]
ItemScope = NamedDependency[service.Scope]

NOT_FOUND = {404: ResponseSpec(None, description="No such item")}


async def _find(session: Session, item_scope: ItemScope, item_id: int) -> Item:
    # Someone else's item answers 404 like a missing one: its existence is
    # not the caller's business.
    item = await service.get_item(session, item_scope, item_id)
    if item is None:
        raise NotFoundException("Item not found")
    return item


class ItemController(Controller):
    path = "/items"
    tags = ["items"]  # noqa: RUF012  (Litestar reads it as a plain list)
    dependencies = DEPENDENCIES
    security = SECURITY

    @post(operation_id="create_item")
    async def create_item(
        self, session: Session, item_scope: ItemScope, data: JSONBody[ItemCreate]
    ) -> ItemRead:
        item = await service.create_item(session, item_scope, data)
        return ItemRead.model_validate(item)

    @get(operation_id="list_items")
    async def list_items(
        self,
        session: Session,
        item_scope: ItemScope,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> ItemPage:
        items, total = await service.list_items(
            session, item_scope, limit=limit, offset=offset
        )
        return ItemPage(
            items=[ItemRead.model_validate(item) for item in items],
            total=total,
            limit=limit,
            offset=offset,
        )

    @get("/{item_id:str}", operation_id="get_item", responses=NOT_FOUND)
    async def get_item(
        self, session: Session, item_scope: ItemScope, item_id: ItemId
    ) -> ItemRead:
        return ItemRead.model_validate(await _find(session, item_scope, item_id))

    @patch("/{item_id:str}", operation_id="update_item", responses=NOT_FOUND)
    async def update_item(
        self,
        session: Session,
        item_scope: ItemScope,
        item_id: ItemId,
        data: JSONBody[ItemUpdate],
    ) -> ItemRead:
        item = await _find(session, item_scope, item_id)
        return ItemRead.model_validate(await service.update_item(session, item, data))

    @delete(
        "/{item_id:str}",
        operation_id="delete_item",
        responses=NOT_FOUND,
        status_code=HTTP_204_NO_CONTENT,
    )
    async def delete_item(
        self, session: Session, item_scope: ItemScope, item_id: ItemId
    ) -> None:
        await service.delete_item(session, await _find(session, item_scope, item_id))
