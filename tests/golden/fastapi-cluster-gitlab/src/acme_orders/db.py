"""Database seam: the engine, sessions and the declarative base.

Framework-free: the web layer asks ``Database.session()`` for a session
and hands it to the domain services, which never see the driver, so the
database can change without touching domain code.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import cast

import sqlalchemy.exc
import sqlalchemy.ext.asyncio
from sqlalchemy import MetaData, PoolProxiedConnection, event, text
from sqlalchemy.engine import URL, make_url
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
DRIVER = "postgresql+asyncpg"
# Plain URL schemes that mean this database; tests and platforms pass these.
ACCEPTED_SCHEMES = frozenset(["postgresql", "postgres"])
# URL query parameters the driver spells differently (e.g. libpq's sslmode).
QUERY_RENAMES: dict[str, str] = {"sslmode": "ssl"}

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


def session_slots(settings: Settings) -> SessionSlots:
    """As many sessions as the pool holds connections, waiting as long as it would."""
    return SessionSlots(
        settings.database_pool_size + settings.database_max_overflow,
        settings.database_pool_timeout,
    )


def create_engine(settings: Settings) -> AsyncEngine:
    # Looked up on the module at call time, so tracing can wrap it.
    engine = sqlalchemy.ext.asyncio.create_async_engine(
        driver_url(settings.database_url),
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
        pool_timeout=settings.database_pool_timeout,
        # Below typical proxy and firewall idle limits.
        pool_recycle=1800,
        connect_args={},
    )
    event.listen(engine.sync_engine, "checkout", _refuse_closed_connection)
    return engine


def _refuse_closed_connection(
    _dbapi_connection: object, _record: object, proxy: PoolProxiedConnection
) -> None:
    # Instead of a ping before every use (pool_pre_ping: one more round trip
    # per request), a pooled connection is checked for being closed. asyncpg
    # sees at once that the server closed it (a restart, an idle timeout),
    # so the pool replaces it before a request can fail on it. One that
    # breaks during a request is discarded, and the request answers 503.
    if proxy.driver_connection is None or proxy.driver_connection.is_closed():
        raise sqlalchemy.exc.DisconnectionError


def read_engine(engine: AsyncEngine) -> AsyncEngine:
    """The engine for requests that only read (see the web layer's sessions).

    Each statement is its own transaction, PostgreSQL's autocommit mode and
    Django's default: no BEGIN and ROLLBACK round trips around a read.
    asyncpg switches the mode on the client side, at no cost.
    """
    return engine.execution_options(isolation_level="AUTOCOMMIT")


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
