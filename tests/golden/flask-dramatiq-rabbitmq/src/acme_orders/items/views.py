"""HTTP routes of the items resource."""

from apiflask import abort
from pydantic import BaseModel, Field

from acme_orders.dependencies import session
from acme_orders.items import service
from acme_orders.items.models import Item
from acme_orders.items.schemas import (
    MAX_ID,
    MAX_PAGE_SIZE,
    ItemCreate,
    ItemPage,
    ItemRead,
    ItemUpdate,
)
from acme_orders.items.scope import SECURITY, caller_checked, item_scope
from acme_orders.validation import api_blueprint

blueprint = api_blueprint("items", __name__, url_prefix="/items", tag="items")


class ItemPath(BaseModel):
    # Ids in a path are checked against the column's range (see MAX_ID).
    item_id: int = Field(ge=1, le=MAX_ID)


class PageQuery(BaseModel):
    limit: int = Field(20, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0, le=MAX_ID)


NOT_FOUND = {404: "No such item"}


def _find(item_id: int) -> Item:
    # Someone else's item answers 404 like a missing one: its existence is
    # not the caller's business.
    item = service.get_item(session(), item_scope(), item_id)
    if item is None:
        abort(404, "Item not found")
    return item


@blueprint.post("")
@caller_checked
@blueprint.input(ItemCreate, location="json", arg_name="data")
@blueprint.output(ItemRead, status_code=201)
@blueprint.doc(operation_id="create_item", security=SECURITY)
def create_item(data: ItemCreate) -> ItemRead:
    item = service.create_item(session(), item_scope(), data)
    return ItemRead.model_validate(item)


@blueprint.get("")
@caller_checked
@blueprint.input(PageQuery, location="query", arg_name="page")
@blueprint.output(ItemPage)
@blueprint.doc(operation_id="list_items", security=SECURITY)
def list_items(page: PageQuery) -> ItemPage:
    items, total = service.list_items(
        session(), item_scope(), limit=page.limit, offset=page.offset
    )
    return ItemPage(
        items=[ItemRead.model_validate(item) for item in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@blueprint.get("/<item_id>")
@caller_checked
@blueprint.input(ItemPath, location="path", arg_name="path")
@blueprint.output(ItemRead)
@blueprint.doc(operation_id="get_item", security=SECURITY, responses=NOT_FOUND)
def get_item(item_id: str, path: ItemPath) -> ItemRead:
    return ItemRead.model_validate(_find(path.item_id))


@blueprint.patch("/<item_id>")
@caller_checked
@blueprint.input(ItemPath, location="path", arg_name="path")
@blueprint.input(ItemUpdate, location="json", arg_name="data")
@blueprint.output(ItemRead)
@blueprint.doc(operation_id="update_item", security=SECURITY, responses=NOT_FOUND)
def update_item(item_id: str, path: ItemPath, data: ItemUpdate) -> ItemRead:
    item = _find(path.item_id)
    return ItemRead.model_validate(service.update_item(session(), item, data))


@blueprint.delete("/<item_id>")
@caller_checked
@blueprint.input(ItemPath, location="path", arg_name="path")
@blueprint.output({}, status_code=204)
@blueprint.doc(operation_id="delete_item", security=SECURITY, responses=NOT_FOUND)
def delete_item(item_id: str, path: ItemPath) -> tuple[str, int]:
    service.delete_item(session(), _find(path.item_id))
    return "", 204
