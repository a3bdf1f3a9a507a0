"""The WSGI application the server runs (server.py), with the chosen
observability set up before Django loads its middleware."""

import os

from django.core.wsgi import get_wsgi_application

from acme_orders import observability
from acme_orders.config import SETTINGS_MODULE
from acme_orders.observability import web as observability_web
from acme_orders.settings import get_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
observability.setup(get_settings())
observability_web.install(get_settings())

application = get_wsgi_application()
