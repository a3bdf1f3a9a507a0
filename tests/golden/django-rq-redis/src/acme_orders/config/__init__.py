"""The Django project: settings (from the service's typed Settings), URLs
and the WSGI application."""

import os

SETTINGS_MODULE = "acme_orders.config.settings"


def setup() -> None:
    """Load Django's settings and apps, for code that runs outside a request
    (the CLI's commands); the WSGI application does it itself."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django

    django.setup()
