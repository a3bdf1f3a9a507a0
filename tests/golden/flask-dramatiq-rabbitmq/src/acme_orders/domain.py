"""Your domain's blueprints: the routes the service serves.

This file is yours. It is rendered once; `copier update` leaves it alone, as
it leaves items/ (the example resource), tests/test_items.py and the
migration scripts. Add a package next to items/ (its tables in its
models.py, which migrations find by that name) and list its blueprint here.
"""

from apiflask import APIBlueprint

from acme_orders.items.views import blueprint as items_blueprint

BLUEPRINTS: list[APIBlueprint] = [items_blueprint]
