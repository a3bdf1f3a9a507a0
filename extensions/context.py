"""Derived facts and filters for the templates.

Every fact that follows from the answers (is the database SQL? which driver?
which packages?) is computed here once and given a name, so templates read
``is_sql`` or ``runtime_packages`` instead of repeating conditions. Per-choice
data lives in ``catalog.toml`` beside this file.
"""

from __future__ import annotations

import keyword
import re
import sys
import tomllib
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

from copier_template_extensions import ContextHook
from jinja2 import Environment
from jinja2.ext import Extension

CATALOG_PATH = Path(__file__).with_name("catalog.toml")

SQL_DATABASES = frozenset({"sqlite", "postgresql", "mysql"})

# Names a package must not take: importing it would shadow a dependency or a
# tool of the generated project.
RESERVED_PACKAGE_NAMES = frozenset(
    {
        "alembic", "anyio", "app", "argon2", "asyncpg", "aiomysql", "aiosqlite", "black",
        "fastapi", "flake8", "httpx", "isort", "jwt", "migrations", "mypy", "opentelemetry",
        "prometheus_client", "pwdlib", "pydantic", "pydantic_settings", "pytest", "redis",
        "ruff", "sentry_sdk", "sqlalchemy", "src", "starlette", "test", "tests", "uvicorn",
        "uvloop",
    }
)

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


@cache
def load_catalog() -> dict[str, Any]:
    with CATALOG_PATH.open("rb") as handle:
        return tomllib.load(handle)


def slugify(text: str, separator: str = "-") -> str:
    """Lower-case ASCII words joined by ``separator``: "Acme Orders" -> "acme-orders"."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = separator.join(words)
    # A distribution or import name must start with a letter.
    return re.sub(r"^[0-9_-]+", "", slug)


def package_name_error(name: str) -> str:
    """Why ``name`` cannot be the import name, or "" when it can."""
    name = str(name)
    if not name.isidentifier() or not name.isascii():
        return (
            f"'{name}' is not a Python identifier: type lower-case letters, digits and "
            "underscores, starting with a letter (e.g. acme_orders)."
        )
    if name != name.lower():
        return f"Type the package name in lower case (e.g. {name.lower()})."
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"'{name}' is a Python keyword: pick another name (e.g. {name}_service)."
    if name in sys.stdlib_module_names:
        return f"'{name}' would shadow the standard library module: pick another name (e.g. {name}_service)."
    if name in RESERVED_PACKAGE_NAMES:
        return f"'{name}' would shadow a dependency or tool of the project: pick another name (e.g. {name}_service)."
    if name.startswith("_"):
        return "The package name must start with a letter (e.g. acme_orders)."
    return ""


def project_slug_error(slug: str) -> str:
    """Why ``slug`` cannot be the distribution name, or "" when it can."""
    if not re.fullmatch(r"[a-z][a-z0-9-]*", str(slug)) or str(slug).endswith("-"):
        return (
            f"'{slug}' is not a valid slug: type lower-case letters, digits and hyphens, "
            "starting with a letter (e.g. acme-orders)."
        )
    return ""


def email_error(email: str) -> str:
    """Why ``email`` is not an address, or "" when it is."""
    if not EMAIL_PATTERN.fullmatch(str(email)):
        return f"'{email}' is not an e-mail address: type one like jane@example.com."
    return ""


def derive(answers: dict[str, Any]) -> dict[str, Any]:
    """Facts computed from the answers, under the names the templates read."""
    catalog = load_catalog()
    database = answers.get("database", "sqlite")
    cache_choice = answers.get("cache", "none")
    auth = answers.get("auth", "jwt")
    code_style = answers.get("code_style", "ruff")
    observability = list(answers.get("observability") or [])
    python_version = str(answers.get("python_version", "3.13"))

    is_sql = database in SQL_DATABASES
    database_entry = catalog["database"].get(database, {})
    needs_redis = cache_choice == "redis"
    has_auth = auth != "none"

    runtime = list(catalog["framework"]["fastapi"]["packages"])
    if is_sql:
        runtime += catalog["orm"]["sqlalchemy"]["packages"]
    runtime += database_entry.get("packages", [])
    if needs_redis:
        runtime += catalog["cache"]["redis"]["packages"]
    if has_auth:
        runtime += catalog["auth"][auth]["packages"]
    for choice in observability:
        runtime += catalog["observability"][choice]["packages"]

    dev = list(catalog["dev"]["packages"]) + catalog["code_style"][code_style]["dev_packages"]

    return {
        "is_sql": is_sql,
        "is_sqlite": database == "sqlite",
        "is_server_database": is_sql and database != "sqlite",
        "database_driver": database_entry.get("driver", ""),
        "database_image": database_entry.get("image", ""),
        "database_port": database_entry.get("port", 0),
        "database_default_url": database_entry.get("default_url", ""),
        "needs_redis": needs_redis,
        "redis_image": catalog["cache"]["redis"]["image"],
        "redis_default_url": catalog["cache"]["redis"]["default_url"],
        "has_auth": has_auth,
        "has_prometheus": "prometheus" in observability,
        "has_opentelemetry": "opentelemetry" in observability,
        "has_sentry": "sentry" in observability,
        "uses_ruff_format": code_style == "ruff",
        "python_image": catalog["python"][python_version]["image"],
        "python_target": "py" + python_version.replace(".", ""),
        "uv_version": catalog["uv"]["version"],
        "uv_image": catalog["uv"]["image"],
        "runtime_packages": sorted(runtime, key=str.lower),
        "dev_packages": sorted(dev, key=str.lower),
    }


class ContextUpdater(ContextHook):
    """Adds the derived facts to every template's context."""

    def hook(self, context: dict[str, Any]) -> None:
        context.update(derive(context))


class AnswerFilters(Extension):
    """Filters used by copier.yml defaults and validators."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["slugify"] = slugify
        environment.filters["package_name_error"] = package_name_error
        environment.filters["project_slug_error"] = project_slug_error
        environment.filters["email_error"] = email_error
