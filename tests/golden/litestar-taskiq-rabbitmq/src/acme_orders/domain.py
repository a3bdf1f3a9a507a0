"""Your domain's routes: the controllers the service serves.

This file is yours. It is rendered once; `copier update` leaves it alone, as
it leaves items/ (the example resource), tests/test_items.py and the
migration scripts. Add a package next to items/ (its tables in its
models.py, which migrations find by that name) and list its controller here.
"""

from litestar.types import ControllerRouterHandler

from acme_orders.items.controller import ItemController

ROUTES: list[ControllerRouterHandler] = [ItemController]
