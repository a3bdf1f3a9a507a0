"""DATABASE_URL (plain sqlite://, postgresql://, mysql://) as Django's DATABASES."""

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

# PostgreSQL: Django's backend with a health check that needs no round trip
# (config/postgresql/, rendered for PostgreSQL projects).
POSTGRESQL = f"{__package__}.postgresql"
ENGINES = {
    "sqlite": "django.db.backends.sqlite3",
    "postgresql": POSTGRESQL,
    "postgres": POSTGRESQL,
    "mysql": "django.db.backends.mysql",
    "mariadb": "django.db.backends.mysql",
}


def database_config(url: str, *, conn_max_age: int) -> dict[str, Any]:
    parts = urlsplit(url)
    engine = ENGINES[parts.scheme]
    if parts.scheme == "sqlite":
        # sqlite:///relative/path, sqlite:////absolute/path, sqlite:///:memory:
        name = parts.path.removeprefix("/")
        if name and name != ":memory:":
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": engine,
            "NAME": name or ":memory:",
            "OPTIONS": {
                # WAL lets readers work during a write; wait for locks
                # rather than fail, as the FastAPI service does.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=30000;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
            # A file beside it, not Django's in-memory default, so that other
            # processes (a task worker under test) can open it too.
            "TEST": {"NAME": f"{name}.test" if name and name != ":memory:" else None},
        }
    options: dict[str, Any] = dict(parse_qsl(parts.query))
    options.setdefault("connect_timeout", 5)
    test: dict[str, str] = {}
    if engine == ENGINES["mysql"]:
        # Full Unicode whatever the server default, strict mode for truncation,
        # and the test database made the same way.
        options.setdefault("charset", "utf8mb4")
        options.setdefault("init_command", "SET sql_mode='STRICT_TRANS_TABLES'")
        test = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}
    return {
        "ENGINE": engine,
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": options,
        "TEST": test,
    }
