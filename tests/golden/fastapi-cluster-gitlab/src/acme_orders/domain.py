"""Your domain's routes: the routers the service serves.

This file is yours. It is rendered once; `copier update` leaves it alone, as
it leaves items/ (the example resource), tests/test_items.py and the
migration scripts. Add a package next to items/ (its tables in its
models.py, which migrations find by that name) and list its router here.
"""

from fastapi import APIRouter

from acme_orders.items.router import router as items_router

ROUTERS: list[APIRouter] = [items_router]
