"""The scope of an item request: which rows the caller may see and change."""

from acme_orders.auth.current_user import (
    BEARER_SECURITY,
    authenticated,
    current_user,
)
from acme_orders.items.service import Scope

# What the items views document and do before anything else: a caller
# without a valid token gets 401, whatever else is wrong with the request.
SECURITY = BEARER_SECURITY
caller_checked = authenticated


def item_scope() -> Scope:
    """Callers see and change only the items they own."""
    return {"owner_id": current_user().id}
