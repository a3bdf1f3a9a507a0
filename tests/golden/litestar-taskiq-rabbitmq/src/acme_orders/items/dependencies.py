"""The scope of an item request: which rows the caller may see and change."""

from litestar.di import Provide

from acme_orders.auth.dependencies import (
    BEARER_SECURITY,
    CURRENT_USER,
    CurrentUser,
)
from acme_orders.items.service import Scope


async def item_scope(user: CurrentUser) -> Scope:
    """Callers see and change only the items they own."""
    return {"owner_id": user.id}


# Every item operation needs a token (documented in the OpenAPI schema).
SECURITY = BEARER_SECURITY
DEPENDENCIES = {**CURRENT_USER, "item_scope": Provide(item_scope)}
