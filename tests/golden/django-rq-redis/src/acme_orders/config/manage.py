"""Django's management commands: ``acme-orders manage <command>`` and
``manage.py <command>`` both come here, after the settings were checked."""

import os
from collections.abc import Sequence

from acme_orders.config import SETTINGS_MODULE
from acme_orders.settings import get_settings


def django_manage(arguments: Sequence[str]) -> int:
    # Raises SettingsError (one line per problem, no value) before Django
    # would turn it into a traceback.
    get_settings()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", *arguments])
    return 0
