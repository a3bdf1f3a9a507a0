"""The six servers that `serve` measures, and how to set them up.

The rendered service (postgresql + redis + jwt, with a private database and a
logged-in user) and four reference apps under the same uvicorn settings: a
bare ASGI app, a one-route FastAPI app, that app plus the libraries the
service imports, the raw-driver floor of the item read (raw_items.py:
bare ASGI, asyncpg and PyJWT, reading the service's own database and user),
and the same read on FastAPI and the SQLAlchemy ORM alone (orm_items.py).
"""

from __future__ import annotations

import json
import secrets
import shutil
import textwrap
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from processes import base_env, copier_copy, find_uv, http, run
from settings import SERVER_DATA, SLUG, TEMPLATE

LIVE = "/health/live"
ITEM = "/items/{id}"  # authenticated; the id and token come from log_in()
SERVICE = "service"
RAW = "raw asyncpg"  # the raw-driver floor of the item read
RAW_ITEMS = Path(__file__).with_name("raw_items.py")
# The item read on FastAPI + the SQLAlchemy ORM alone (no template code).
ORM = "FastAPI+SQLAlchemy"
ORM_ITEMS = Path(__file__).with_name("orm_items.py")
ORM_TABLES = Path(__file__).with_name("orm_tables.py")  # its models and engine

BARE_ASGI = '''\
"""The least an ASGI app can do: the same JSON for every request."""

BODY = b'{"status":"ok"}'
START = {
    "type": "http.response.start",
    "status": 200,
    "headers": [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(BODY)).encode()),
    ],
}
END = {"type": "http.response.body", "body": BODY}


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    await send(START)
    await send(END)
'''

MINIMAL_FASTAPI = '''\
"""A one-route FastAPI app."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}
'''

# The one-route app, plus the libraries the service imports to do its work
# (not the service's own code): separates dependency weight from template weight.
# Those the rendered project does not install (its dependencies change with
# the template) are skipped.
MINIMAL_FASTAPI_WITH_LIBS = (
    MINIMAL_FASTAPI
    + """
import importlib  # noqa: E402

for library in [
    "asyncpg",
    "email_validator",
    "jwt",
    "multipart",
    "prometheus_client",
    "pwdlib",
    "pydantic_settings",
    "redis.asyncio",
    "sqlalchemy.ext.asyncio",
]:
    try:
        importlib.import_module(library)
    except ModuleNotFoundError:
        pass
"""
)

# The same uvicorn settings as the service's `serve` command.
LAUNCHER = """\
import sys

import uvicorn

uvicorn.run(
    sys.argv[1],
    host="127.0.0.1",
    port=int(sys.argv[2]),
    workers=1,
    loop="uvloop",
    http="httptools",
    log_config=None,
    access_log=False,
    server_header=False,
    proxy_headers=True,
)
"""


def prepare_service(work: Path, database_url: str, redis_url: str) -> dict[str, Any]:
    """Render postgresql+redis+jwt, sync it, give it a private database."""
    uv = find_uv()
    project = work / "service"
    copier_copy(TEMPLATE, project, SERVER_DATA)
    env = base_env()
    run([uv, "sync", "-q"], cwd=project, env=env)
    python = project / ".venv" / "bin" / "python"

    admin = urllib.parse.urlsplit(database_url)
    db_name = f"bench_{secrets.token_hex(4)}"
    bench_url = urllib.parse.urlunsplit(admin._replace(path="/" + db_name))
    admin_script = textwrap.dedent(
        """
        import asyncio, sys
        import asyncpg

        async def main(url, sql):
            connection = await asyncpg.connect(url)
            try:
                await connection.execute(sql)
            finally:
                await connection.close()

        asyncio.run(main(sys.argv[1], sys.argv[2]))
        """
    )

    def admin_sql(sql: str) -> None:
        run([str(python), "-c", admin_script, database_url, sql], env=env, timeout=60)

    admin_sql(f'CREATE DATABASE "{db_name}"')
    service_env = {
        **env,
        "ENVIRONMENT": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
        "DATABASE_URL": bench_url,
        "REDIS_URL": redis_url,
        "LOG_LEVEL": "INFO",
        "ACCESS_TOKEN_EXPIRE_MINUTES": "600",
    }
    run([str(project / ".venv" / "bin" / SLUG), "migrate"], cwd=project, env=service_env)

    refs = work / "refs"
    refs.mkdir()
    (refs / "bare_asgi.py").write_text(BARE_ASGI)
    (refs / "minimal_fastapi.py").write_text(MINIMAL_FASTAPI)
    (refs / "minimal_fastapi_libs.py").write_text(MINIMAL_FASTAPI_WITH_LIBS)
    (refs / "launcher.py").write_text(LAUNCHER)
    shutil.copyfile(RAW_ITEMS, refs / "raw_items.py")
    shutil.copyfile(ORM_ITEMS, refs / "orm_items.py")
    shutil.copyfile(ORM_TABLES, refs / "orm_tables.py")
    return {
        "project": project,
        "python": python,
        "refs": refs,
        "env": service_env,
        "drop": lambda: admin_sql(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'),
    }


def log_in(base_url: str) -> tuple[dict[str, str], int]:
    """Register a user, log in, create an item: (auth headers, item id)."""
    email = f"bench-{secrets.token_hex(6)}@example.com"
    password = secrets.token_urlsafe(18)
    status, body = http(
        "POST", base_url + "/auth/register", json_body={"email": email, "password": password}
    )
    if status != 201:
        raise RuntimeError(f"register: {status} {body[:300]!r}")
    status, body = http(
        "POST", base_url + "/auth/login", form={"username": email, "password": password}
    )
    if status != 200:
        raise RuntimeError(f"login: {status} {body[:300]!r}")
    headers = {"Authorization": f"Bearer {json.loads(body)['access_token']}"}
    status, body = http(
        "POST", base_url + "/items", json_body={"name": "benchmark item"}, headers=headers
    )
    if status != 201:
        raise RuntimeError(f"create item: {status} {body[:300]!r}")
    item_id = int(json.loads(body)["id"])
    status, body = http("GET", f"{base_url}/items/{item_id}", headers=headers)
    if status != 200:
        raise RuntimeError(f"read item: {status} {body[:300]!r}")
    return headers, item_id


class Subject(NamedTuple):
    command: Callable[[int], list[str]]  # the command line for a port
    cwd: Path
    env: dict[str, str]
    endpoints: tuple[str, ...]  # LIVE and/or ITEM, measured in this order


def server_subjects(setup: dict[str, Any]) -> dict[str, Subject]:
    """Each server by name; the service comes first (its log-in makes the data)."""
    python, refs, project = str(setup["python"]), setup["refs"], setup["project"]
    ref_env = base_env()

    def reference(module: str) -> Callable[[int], list[str]]:
        return lambda port: [python, "launcher.py", f"{module}:app", str(port)]

    # The floor reads the service's database with the service's signing key;
    # its pool is as large as the service's (DATABASE_POOL_SIZE and
    # DATABASE_MAX_OVERFLOW at the same defaults, set for neither).
    raw_env = {
        **ref_env,
        "DATABASE_URL": setup["env"]["DATABASE_URL"],
        "SECRET_KEY": setup["env"]["SECRET_KEY"],
    }
    return {
        # The console script directly (what `uv run acme-orders serve` ends up
        # running), so the pid is the server's own and VmRSS is its memory.
        SERVICE: Subject(
            lambda _port: [str(project / ".venv" / "bin" / SLUG), "serve"],
            project,
            setup["env"],
            (LIVE, ITEM),
        ),
        RAW: Subject(reference("raw_items"), refs, raw_env, (ITEM,)),
        ORM: Subject(reference("orm_items"), refs, raw_env, (ITEM,)),
        "bare ASGI": Subject(reference("bare_asgi"), refs, ref_env, (LIVE,)),
        "minimal FastAPI": Subject(reference("minimal_fastapi"), refs, ref_env, (LIVE,)),
        "minimal FastAPI+libs": Subject(reference("minimal_fastapi_libs"), refs, ref_env, (LIVE,)),
    }
