"""The floor of the WSGI services' item read: a bare WSGI app on psycopg.

The same work as the rendered Django and Flask services' GET /items/{id},
with nothing else: decode the bearer token (PyJWT, HS256, the service's
claims), read the user by id and check it is active, read the item by id and
owner, answer the same JSON. No framework, ORM, serializer, middleware or log
line. Two database round trips per request (the services make three: Django's
CONN_HEALTH_CHECKS adds a `SELECT 1` on the first query of each request, the
Flask service's pool pings each connection it hands out).

One psycopg connection per server thread, kept (autocommit), as Django keeps
one per thread with CONN_MAX_AGE > 0. GET /health/live answers {"status":"ok"}
with no work, the floor of each server itself.

Runs in the rendered project's environment (psycopg and PyJWT installed),
under each server the benchmarks compare (django_servers.py,
flask_servers.py). Reads
DATABASE_URL (plain postgresql://) and SECRET_KEY.
"""

import json
import os
import threading
from datetime import UTC, datetime

import jwt
import psycopg

SECRET_KEY = os.environ["SECRET_KEY"]
DATABASE_URL = os.environ["DATABASE_URL"]
MAX_ID = 2**31 - 1

USER_SQL = "SELECT is_active FROM users WHERE id = %s"
ITEM_SQL = (
    "SELECT id, name, description, created_at, updated_at"
    " FROM items WHERE id = %s AND owner_id = %s"
)

_local = threading.local()


def connection() -> psycopg.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        conn = psycopg.connect(DATABASE_URL, autocommit=True)
        _local.conn = conn
    return conn


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
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def read_item(environ: dict) -> tuple[int, object]:
    raw_id = environ["PATH_INFO"].removeprefix("/items/")
    if not raw_id.isdigit() or not 1 <= int(raw_id) <= MAX_ID:
        return 422, {"detail": "invalid item id"}
    user_id = user_id_of(environ.get("HTTP_AUTHORIZATION", ""))
    if user_id is None:
        return 401, {"detail": "Invalid or expired token"}
    conn = connection()
    row = conn.execute(USER_SQL, (user_id,)).fetchone()
    if row is None or not row[0]:
        return 401, {"detail": "Invalid or expired token"}
    row = conn.execute(ITEM_SQL, (int(raw_id), user_id)).fetchone()
    if row is None:
        return 404, {"detail": "Item not found"}
    return 200, {
        "id": row[0],
        "name": row[1],
        "description": row[2],
        "created_at": iso(row[3]),
        "updated_at": iso(row[4]),
    }


REASONS = {200: "OK", 401: "Unauthorized", 404: "Not Found", 422: "Unprocessable Entity"}


def application(environ, start_response):
    path = environ["PATH_INFO"]
    if environ["REQUEST_METHOD"] == "GET" and path.startswith("/items/"):
        status, content = read_item(environ)
    elif path == "/health/live":
        status, content = 200, {"status": "ok"}
    else:
        status, content = 404, {"detail": "Not Found"}
    body = json.dumps(content, separators=(",", ":")).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    if status == 401:
        headers.append(("WWW-Authenticate", "Bearer"))
    start_response(f"{status} {REASONS[status]}", headers)
    return [body]
