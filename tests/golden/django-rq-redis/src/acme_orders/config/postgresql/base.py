"""Django's PostgreSQL backend, with a cheaper health check.

With CONN_HEALTH_CHECKS, Django checks a kept connection before the first
query of each request; its PostgreSQL backend does so with a `SELECT 1`, one
more round trip per request. A kept connection is idle between requests, so
the server has nothing to say on it: when its socket has something to read,
the server closed it or is about to (a restart sends a termination notice
first), and only then is the `SELECT 1` run. Otherwise the connection is used
as it is; one the server drops without a word fails its next query (503) and
is closed by Django after that request.
"""

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.broken:
            return False
        if connection.info.transaction_status != TransactionStatus.IDLE:
            return bool(super().is_usable())
        # poll, not select: a worker with many connections may hold
        # descriptors past select's limit of 1024.
        waiting = select.poll()
        waiting.register(connection.fileno(), select.POLLIN)
        return not waiting.poll(0) or bool(super().is_usable())
