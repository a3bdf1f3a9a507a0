"""The Celery app, where Django projects keep it.

Django's settings module is named before the app is made, so that Celery
sees a Django project (its worker then sets Django up, and closes database
connections between tasks as Django does between requests). The settings
come from the service's typed settings, like Django's own (celery_setup.py).
"""

import os

from celery import Celery

from acme_orders import celery_setup
from acme_orders.config import SETTINGS_MODULE
from acme_orders.settings import get_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)

app = Celery("acme_orders")
celery_setup.configure(app, get_settings())
