"""The scope of an item request: which rows the caller may see and change."""

from typing import Annotated

from fastapi import Depends

from acme_orders.auth import CurrentUser

# Column values every query is narrowed by, and every new item gets.
Scope = dict[str, int]


async def item_scope(user: CurrentUser) -> Scope:
    """Callers see and change only the items they own."""
    return {"owner_id": user.id}


ItemScope = Annotated[Scope, Depends(item_scope)]
