"""Which dependency an error says is unreachable: such errors answer 503
with Retry-After, never 500."""

from django.db import InterfaceError, OperationalError

from acme_orders import broker


def outage_of(error: BaseException) -> str | None:
    """The dependency whose outage ``error`` reports, or None."""
    if isinstance(error, (OperationalError, InterfaceError)):
        return "database"
    if isinstance(error, OSError):
        return "database"
    if broker.is_outage(error):
        return "broker"
    return None
