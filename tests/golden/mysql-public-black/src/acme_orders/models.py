"""Every table of the service, in one place for Alembic.

Tables of the template's features are imported here; your own are listed in
domain.py.
"""

from acme_orders.db import Base
from acme_orders.domain import MODELS

__all__ = ["MODELS", "Base"]
