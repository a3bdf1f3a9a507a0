"""Your domain: the routers the service serves and the tables Alembic sees.

This file is yours. It is rendered once; `copier update` leaves it alone, as
it leaves items/ (the example resource), tests/test_items.py and the
migration scripts. Add a package next to items/ and list it here.
"""

from fastapi import APIRouter

from acme_orders.db import Base
from acme_orders.items.models import Item
from acme_orders.items.router import router as items_router

ROUTERS: list[APIRouter] = [items_router]
MODELS: list[type[Base]] = [Item]
