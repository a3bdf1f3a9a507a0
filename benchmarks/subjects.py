"""The four servers that `serve` measures, and how to set them up.

The rendered service (postgresql + redis + jwt, with a private database and a
logged-in user) and three reference apps under the same uvicorn settings: a
bare ASGI app, a one-route FastAPI app, and that app plus the libraries the
service imports.
"""

from __future__ import annotations

import json
import secrets
import textwrap
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from processes import base_env, copier_copy, find_uv, http, run
from settings import SERVER_DATA, SLUG, TEMPLATE

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
MINIMAL_FASTAPI_WITH_LIBS = (
    MINIMAL_FASTAPI
    + """
import asyncpg  # noqa: E402, F401
import email_validator  # noqa: E402, F401
import jwt  # noqa: E402, F401
import multipart  # noqa: E402, F401
import prometheus_client  # noqa: E402, F401
import pwdlib  # noqa: E402, F401
import pydantic_settings  # noqa: E402, F401
import redis.asyncio  # noqa: E402, F401
import sqlalchemy.ext.asyncio  # noqa: E402, F401
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


def server_subjects(
    setup: dict[str, Any],
) -> dict[str, tuple[Callable[[int], list[str]], Path, dict[str, str]]]:
    """Name -> (command for a port, working directory, environment) of each server."""
    python, refs, project = str(setup["python"]), setup["refs"], setup["project"]
    ref_env = base_env()
    return {
        "bare ASGI": (lambda p: [python, "launcher.py", "bare_asgi:app", str(p)], refs, ref_env),
        "minimal FastAPI": (
            lambda p: [python, "launcher.py", "minimal_fastapi:app", str(p)],
            refs,
            ref_env,
        ),
        "minimal FastAPI+libs": (
            lambda p: [python, "launcher.py", "minimal_fastapi_libs:app", str(p)],
            refs,
            ref_env,
        ),
        # The console script directly (what `uv run acme-orders serve` ends up
        # running), so the pid is the server's own and VmRSS is its memory.
        "service": (
            lambda p: [str(project / ".venv" / "bin" / SLUG), "serve"],
            project,
            setup["env"],
        ),
    }
