"""The Celery app, where Django projects keep it: for Celery's own command
line (``celery -A acme_orders.config.celery inspect active``).

Django's settings module is named before the app is made, so that Celery
sees a Django project. The service sends through broker.py, and its worker
(``acme-orders worker``) makes its own app the same way.
"""

import os

from acme_orders import celery_setup
from acme_orders.config import SETTINGS_MODULE
from acme_orders.settings import get_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)

app = celery_setup.connect(get_settings())
