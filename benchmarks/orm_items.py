"""The item read on the stack the service is built on, without the service.

FastAPI routing and dependency injection, SQLAlchemy's async ORM session on
asyncpg (autocommit reads, no ping before use, as the service does), and
the token check of raw_items.py: the same work and the same JSON as the
service's GET /items/{id}, with nothing of the template (no middleware,
access log, error handlers, settings or metrics). Between the raw-driver
floor and the service it splits the item read's cost in two: what FastAPI
and the ORM take, and what the template adds on top.

Runs in the rendered project's environment beside raw_items.py (whose token
check and environment variables it shares) and orm_tables.py (the models and
the engine's settings), under the benchmark's launcher.
"""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException
from orm_tables import Item, User, async_sessions
from raw_items import iso, user_id_of
from sqlalchemy.ext.asyncio import AsyncSession

app = FastAPI()
sessions = async_sessions()
UNAUTHORIZED = HTTPException(401, "Invalid or expired token", {"WWW-Authenticate": "Bearer"})


async def session() -> AsyncIterator[AsyncSession]:
    async with sessions() as opened:
        yield opened


@app.get("/items/{item_id}")
async def get_item(
    item_id: int,
    db: Annotated[AsyncSession, Depends(session)],
    authorization: Annotated[str, Header()] = "",
) -> dict[str, object]:
    user_id = user_id_of(authorization)
    if user_id is None:
        raise UNAUTHORIZED
    user = await db.get(User, user_id)
    if user is None or not user.is_active:
        raise UNAUTHORIZED
    item = await db.get(Item, item_id)
    if item is None or item.owner_id != user_id:
        raise HTTPException(404, "Item not found")
    return {
        "id": item.id,
        "name": item.name,
        "description": item.description,
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
    }


@app.get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}
