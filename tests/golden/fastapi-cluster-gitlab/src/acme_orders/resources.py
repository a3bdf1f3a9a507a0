"""The external connections the service holds, in start-up order.

Each module here offers ``RESOURCE`` (see runtime.py: how to open the
connection, ping it and recognise its outage); the web layer's runtime, the
readiness probe and the outage handling walk this list.
"""

from acme_orders import broker, db
from acme_orders.runtime import Resource

RESOURCES: list[Resource] = [db.RESOURCE, broker.RESOURCE]


def outage_of(error: BaseException) -> str | None:
    """The name of the resource whose outage ``error`` reports, or None."""
    for resource in RESOURCES:
        if resource.is_outage(error):
            return resource.name
    return None
