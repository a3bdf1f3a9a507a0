"""The external connections the service holds, in start-up order.

Each module here offers ``RESOURCE`` (see runtime.py: how to open the
connection, ping it and recognise its outage); the web layer's runtime, the
readiness probe and the outage handling walk this list.
"""

import logging
import time

from acme_orders import db
from acme_orders.runtime import Resource

RESOURCES: list[Resource] = [db.RESOURCE]


def outage_of(error: BaseException) -> str | None:
    """The name of the resource whose outage ``error`` reports, or None."""
    for resource in RESOURCES:
        if resource.is_outage(error):
            return resource.name
    return None


logger = logging.getLogger(__name__)
# During an outage every request fails the same way: one line per resource
# in each such period says so, with the count of failures since the last.
OUTAGE_LOG_PERIOD_SECONDS = 10.0
_last_reported: dict[str, float] = {}
_unreported: dict[str, int] = {}


def report_outage(name: str, error: BaseException) -> None:
    """Log that ``name`` is unreachable: one short line, at most once a period."""
    now = time.monotonic()
    last = _last_reported.get(name)
    if last is not None and now - last < OUTAGE_LOG_PERIOD_SECONDS:
        _unreported[name] = _unreported.get(name, 0) + 1
        return
    _last_reported[name] = now
    logger.warning(
        "%s unavailable",
        name,
        extra={
            "dependency": name,
            "error": type(error).__name__,
            "failures_since_last_report": _unreported.pop(name, 0),
        },
    )
