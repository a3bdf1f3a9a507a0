"""The item read on Litestar and the SQLAlchemy ORM, without the service.

Litestar routing and dependency injection (a session per request from a
generator dependency, as the service provides its own), SQLAlchemy's async
ORM session (orm_tables.py: the same models and engine settings as
orm_items.py) and the token check of raw_items.py: the same work and the
same JSON as the service's GET /items/{id}, with nothing of the template (no
middleware, access log, exception handlers, settings, metrics or response
model). Between the raw-driver floor and the service it splits the item
read's cost in two: what Litestar and the ORM take, and what the template
adds on top. It is the Litestar counterpart of orm_items.py.

Runs in the rendered project's environment beside raw_items.py and
orm_tables.py, under the benchmark's launcher or granian.
"""

from collections.abc import AsyncIterator
from typing import Any

from litestar import Litestar, Request, get
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.params import FromPath
from orm_tables import Item, User, async_sessions
from raw_items import iso, user_id_of
from sqlalchemy.ext.asyncio import AsyncSession

# RFC 6750: a refusal names the scheme the client must use, as the service's does.
CHALLENGE = {"WWW-Authenticate": "Bearer"}
sessions = async_sessions()


async def provide_session() -> AsyncIterator[AsyncSession]:
    async with sessions() as opened:
        yield opened


# Litestar reads the annotations at start-up: AsyncSession must be a runtime import.
@get("/items/{item_id:int}")
async def get_item(
    request: Request[Any, Any, Any],
    item_id: FromPath[int],
    db: NamedDependency[AsyncSession],
) -> dict[str, Any]:
    # Litestar's explicit markers, as the service declares its parameters.
    user_id = user_id_of(request.headers.get("authorization", ""))
    if user_id is None:
        raise NotAuthorizedException("Invalid or expired token", headers=CHALLENGE)
    user = await db.get(User, user_id)
    if user is None or not user.is_active:
        raise NotAuthorizedException("Invalid or expired token", headers=CHALLENGE)
    item = await db.get(Item, item_id)
    if item is None or item.owner_id != user_id:
        raise NotFoundException("Item not found")
    return {
        "id": item.id,
        "name": item.name,
        "description": item.description,
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
    }


@get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


app = Litestar(route_handlers=[get_item, live], dependencies={"db": Provide(provide_session)})
