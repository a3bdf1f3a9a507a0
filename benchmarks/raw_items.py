"""The floor of the authenticated item read: a bare ASGI app on the raw driver.

The same work as the rendered service's GET /items/{id}, with nothing else:
decode the bearer token (PyJWT, HS256, the service's claims), read the user
by id and check it is active, read the item by id and owner (asyncpg, one
pooled connection per request), answer JSON. No framework, ORM, validation
library, middleware or log line. GET /health/live answers for readiness.
Three database round trips per request: the two reads, and the reset the
asyncpg pool runs on each connection it gets back.

Runs in the rendered project's environment (asyncpg and PyJWT installed),
under the benchmark's uvicorn launcher. Reads DATABASE_URL (plain
postgresql://), SECRET_KEY, and DATABASE_POOL_SIZE / DATABASE_MAX_OVERFLOW
like the service, so both hold at most as many database connections.
"""

import json
import os
from datetime import datetime

import asyncpg
import jwt

SECRET_KEY = os.environ["SECRET_KEY"]
DATABASE_URL = os.environ["DATABASE_URL"]
POOL_MIN = int(os.environ.get("DATABASE_POOL_SIZE", "5"))
POOL_MAX = POOL_MIN + int(os.environ.get("DATABASE_MAX_OVERFLOW", "10"))
MAX_ID = 2**31 - 1

USER_SQL = "SELECT is_active FROM users WHERE id = $1"
ITEM_SQL = (
    "SELECT id, name, description, created_at, updated_at"
    " FROM items WHERE id = $1 AND owner_id = $2"
)

pool: asyncpg.Pool | None = None


def user_id_from(headers: list[tuple[bytes, bytes]]) -> int | None:
    """The user id of a valid, unexpired access token; None otherwise."""
    for name, value in headers:
        if name == b"authorization":
            return user_id_of(value.decode("latin-1"))
    return None


def user_id_of(authorization: str) -> int | None:
    """The user id of an Authorization header's valid bearer token, or None."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer":
        return None
    try:
        claims = jwt.decode(
            token,
            SECRET_KEY,
            algorithms=["HS256"],
            options={"require": ["sub", "exp", "iat"]},
        )
    except jwt.InvalidTokenError:
        return None
    sub = claims["sub"]
    if claims.get("type") != "access" or not isinstance(sub, str):
        return None
    if not (sub.isascii() and sub.isdigit()) or sub.startswith("0") or len(sub) > 10:
        return None
    user_id = int(sub)
    return user_id if user_id <= MAX_ID else None


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


async def read_item(scope: dict) -> tuple[int, object]:
    raw_id = scope["path"].removeprefix("/items/")
    if not raw_id.isdigit() or not 1 <= int(raw_id) <= MAX_ID:
        return 422, {"detail": "invalid item id"}
    user_id = user_id_from(scope["headers"])
    if user_id is None:
        return 401, {"detail": "Invalid or expired token"}
    assert pool is not None
    async with pool.acquire() as connection:
        active = await connection.fetchval(USER_SQL, user_id)
        if not active:  # None: no such user
            return 401, {"detail": "Invalid or expired token"}
        row = await connection.fetchrow(ITEM_SQL, int(raw_id), user_id)
    if row is None:
        return 404, {"detail": "Item not found"}
    return 200, {
        "id": row["id"],
        "name": row["name"],
        "description": row["description"],
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
    }


async def lifespan(receive, send) -> None:
    global pool
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            pool = await asyncpg.create_pool(DATABASE_URL, min_size=POOL_MIN, max_size=POOL_MAX)
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            if pool is not None:
                await pool.close()
            await send({"type": "lifespan.shutdown.complete"})
            return


async def app(scope, receive, send) -> None:
    if scope["type"] == "lifespan":
        await lifespan(receive, send)
        return
    path = scope["path"]
    if scope["method"] == "GET" and path.startswith("/items/"):
        status, content = await read_item(scope)
    elif path == "/health/live":
        status, content = 200, {"status": "ok"}
    else:
        status, content = 404, {"detail": "Not Found"}
    body = json.dumps(content, separators=(",", ":")).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
