"""The external connections the service holds, in start-up order.

Each module offers ``NAME``, ``lifespan(app)`` (opens and closes the
connection) and ``ping(app)`` (raises when the dependency is unusable); the
app's lifespan and the readiness probe walk this tuple.
"""

from acme_orders import db

RESOURCES = [db]
