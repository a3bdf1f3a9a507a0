"""Your domain: the Django apps of the service and where their URLs live.

This file is yours. It is rendered once; `copier update` leaves it alone, as
it leaves items/ (the example app, with its migrations) and
tests/test_items.py. Add an app next to items/ and list it in both places.
Plain names only: Django's settings read this module before any app loads.
"""

APPS = ["acme_orders.items"]

# URL prefix -> the app's URL module (config/urls.py includes each).
ROUTES = {"items": "acme_orders.items.urls"}
