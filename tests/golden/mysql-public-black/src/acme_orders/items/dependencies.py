"""The scope of an item request: which rows the caller may see and change."""

from typing import Annotated

from fastapi import Depends

from acme_orders.items.service import Scope


async def item_scope() -> Scope:
    """The API is public: every caller sees every item."""
    return {}


ItemScope = Annotated[Scope, Depends(item_scope)]
