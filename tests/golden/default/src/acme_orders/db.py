"""Database seam: the engine, sessions and the declarative base.

Framework-free: the web layer asks ``Database.session()`` for a session
and hands it to the domain services, which never see the driver, so the
database can change without touching domain code.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, cast

import sqlalchemy.exc
import sqlalchemy.ext.asyncio
from sqlalchemy import MetaData, event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import DeclarativeBase

from acme_orders.concurrency import Slots
from acme_orders.runtime import Resource, Runtime
from acme_orders.settings import Settings

NAME = "database"
# What a database that is down, restarting or out of connections raises:
# the driver's own connection errors arrive as OSError, the rest wrapped.
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.TimeoutError,
)
DRIVER = "sqlite+aiosqlite"
# Plain URL schemes that mean this database; tests and platforms pass these.
ACCEPTED_SCHEMES = frozenset(["sqlite"])
# URL query parameters the driver spells differently (e.g. libpq's sslmode).
QUERY_RENAMES: dict[str, str] = {}

# Stable constraint names, so migrations can drop what they created.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SessionSlots:
    """At most as many sessions as the pool has connections.

    Requests wait for a session here rather than in the pool (see
    concurrency.Slots); one that waits too long gets the error the pool
    raises when it stays exhausted, which the service answers as an outage.
    """

    def __init__(self, capacity: int, timeout: float) -> None:
        self._slots = Slots(capacity, timeout)
        self._timeout = timeout

    @asynccontextmanager
    async def held(self) -> AsyncIterator[None]:
        try:
            async with self._slots.held():
                yield
        except TimeoutError:
            msg = f"no database connection free within {self._timeout} s"
            raise sqlalchemy.exc.TimeoutError(msg) from None


def driver_url(plain_url: str) -> URL:
    """Map a plain database URL onto the driver this project installs."""
    url = make_url(plain_url)
    if url.get_backend_name() not in ACCEPTED_SCHEMES:
        accepted = ", ".join(sorted(ACCEPTED_SCHEMES))
        msg = f"DATABASE_URL must start with one of: {accepted} (got {url.drivername})"
        raise ValueError(msg)
    query = {QUERY_RENAMES.get(key, key): value for key, value in url.query.items()}
    return url.set(drivername=DRIVER, query=query)


# The read engine's execution option (read_engine, _begin).
READ_ONLY = "acme_orders_read_only"
# SQLAlchemy's defaults for a file database, named for session_slots().
SQLITE_POOL_SIZE = 5
SQLITE_MAX_OVERFLOW = 10
SQLITE_POOL_TIMEOUT = 30.0


def create_engine(settings: Settings) -> AsyncEngine:
    url = driver_url(settings.database_url)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    # Looked up on the module at call time, so tracing can wrap it.
    engine = sqlalchemy.ext.asyncio.create_async_engine(
        url,
        pool_size=SQLITE_POOL_SIZE,
        max_overflow=SQLITE_MAX_OVERFLOW,
        pool_timeout=SQLITE_POOL_TIMEOUT,
        # The pool hands a connection to whichever thread asks next (a WSGI
        # worker has several), one at a time.
        connect_args={"timeout": 30, "check_same_thread": False},
    )
    event.listen(engine.sync_engine, "connect", _configure_sqlite)
    event.listen(engine.sync_engine, "begin", _begin)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: object) -> None:
    # The driver would open transactions late, by its own rules, and commit
    # around SAVEPOINTs; SQLAlchemy's documented fix is to switch that off
    # and say BEGIN itself (see _begin), so transactions mean what they say.
    dbapi_connection.isolation_level = None
    # WAL lets readers work during a write; SQLite leaves foreign keys off
    # unless asked on every connection.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _begin(connection: Connection) -> None:
    # A transaction that may write takes SQLite's write lock as it begins,
    # waiting for it (busy_timeout). Begun deferred, one that read first
    # would have to upgrade its lock when it writes, and SQLite refuses that
    # at once while another process writes (a task worker, another server
    # worker) rather than deadlock. Reads begin deferred: they never wait.
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def session_slots(_settings: Settings) -> SessionSlots:
    return SessionSlots(SQLITE_POOL_SIZE + SQLITE_MAX_OVERFLOW, SQLITE_POOL_TIMEOUT)


def read_engine(engine: AsyncEngine) -> AsyncEngine:
    """The engine for requests that only read (see the web layer's sessions):
    its transactions begin deferred (see _begin)."""
    return engine.execution_options(**{READ_ONLY: True})


class Database:
    """The engine, and the sessions handed out on it."""

    def __init__(self, settings: Settings) -> None:
        self.engine = create_engine(settings)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.read_engine = read_engine(self.engine)
        self._reading_sessions = async_sessionmaker(
            self.read_engine,
            expire_on_commit=False,
        )
        self._slots = session_slots(settings)

    @asynccontextmanager
    async def session(self, *, reading: bool = False) -> AsyncIterator[AsyncSession]:
        """A session for one unit of work; the domain services commit it.

        ``reading=True`` (for requests that only read, such as HTTP GET)
        gives one on the read engine, which may skip the transaction
        around the reads: such work must not write.
        """
        sessions = self._reading_sessions if reading else self._sessions
        async with self._slots.held(), sessions() as session:
            yield session


@asynccontextmanager
async def connect(settings: Settings) -> AsyncIterator[Database]:
    database = Database(settings)
    try:
        yield database
    finally:
        await database.engine.dispose()


def is_outage(error: BaseException) -> bool:
    """Whether ``error`` means the database cannot be reached right now.

    Besides the errors above: a connection that broke during a statement
    (a restart under load), whatever error the driver reported for it.
    """
    return isinstance(error, OUTAGE_ERRORS) or (
        isinstance(error, sqlalchemy.exc.DBAPIError) and error.connection_invalidated
    )


async def ping(database: Database) -> None:
    # On the read engine: a probe must not wait behind writers.
    async with database.read_engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


RESOURCE = Resource(NAME, connect, ping, is_outage)


def database(runtime: Runtime) -> Database:
    """This runtime's database."""
    return cast(Database, runtime.handle(RESOURCE))
