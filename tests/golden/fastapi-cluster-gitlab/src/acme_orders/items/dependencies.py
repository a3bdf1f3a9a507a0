"""The scope of an item request: which rows the caller may see and change."""

from typing import Annotated

from fastapi import Depends

from acme_orders.auth.dependencies import CurrentUser
from acme_orders.items.service import Scope


async def item_scope(user: CurrentUser) -> Scope:
    """Callers see and change only the items they own."""
    return {"owner_id": user.id}


ItemScope = Annotated[Scope, Depends(item_scope)]
