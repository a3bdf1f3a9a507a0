"""The migrate command: every Django app's migrations, to their latest."""

from django.db import DatabaseError, InterfaceError, OperationalError

from acme_orders.config import setup

# What a database that is down or unreachable raises.
OUTAGE_ERRORS = (OSError, OperationalError, InterfaceError)


def upgrade_to_head() -> None:
    setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def outage_of(error: BaseException) -> str | None:
    """ "database" when ``error`` says the database cannot be reached."""
    if isinstance(error, OUTAGE_ERRORS) and not _is_schema_error(error):
        return "database"
    return None


def _is_schema_error(error: BaseException) -> bool:
    # An OperationalError can also be a broken migration (SQLite reports a
    # missing table as one); only connection failures are an outage.
    return isinstance(error, DatabaseError) and "no such table" in str(error)
