#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> int:
    from acme_orders.config import SETTINGS_MODULE
    from acme_orders.settings import SettingsError, get_settings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)

    try:
        get_settings()
    except SettingsError as error:
        # One line per problem, naming the variable, never its value.
        sys.stderr.write("manage.py: unusable settings:\n")
        for line in str(error).splitlines():
            sys.stderr.write(f"  {line}\n")
        return 2
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
