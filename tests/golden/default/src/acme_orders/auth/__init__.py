"""Authentication seam: routes use ``CurrentUser`` and never see tokens."""

from acme_orders.auth.dependencies import CurrentUser

__all__ = ["CurrentUser"]
