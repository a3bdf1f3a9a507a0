"""The service's two tables as SQLAlchemy ORM models, and the sessions that
read them: what orm_items.py (FastAPI) and litestar_items.py share, so the
two frameworks' "framework alone" reads differ only by the framework.

The engine is set up as the service's read engine: asyncpg, a pool as large
as the service's (DATABASE_POOL_SIZE and DATABASE_MAX_OVERFLOW), autocommit
reads (no BEGIN and ROLLBACK around them) and no ping before use.
"""

from datetime import datetime

from raw_items import DATABASE_URL, POOL_MAX, POOL_MIN
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    is_active: Mapped[bool]


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int]
    name: Mapped[str]
    description: Mapped[str | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


engine = create_async_engine(
    DATABASE_URL.replace("postgresql://", "postgresql+asyncpg://", 1),
    pool_size=POOL_MIN,
    max_overflow=POOL_MAX - POOL_MIN,
).execution_options(isolation_level="AUTOCOMMIT")
sessions = async_sessionmaker(engine, expire_on_commit=False)
