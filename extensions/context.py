"""Derived facts and filters for the templates.

Every fact that follows from the answers (is the database SQL? which driver?
which packages?) is computed here once and given a name, so templates read
``is_sql`` or ``runtime_packages`` instead of repeating conditions. Per-choice
data lives in ``catalog.toml`` beside this file.
"""

from __future__ import annotations

import importlib.util
import keyword
import re
import sys
import textwrap
import tomllib
import unicodedata
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml
from copier_template_extensions import ContextHook
from jinja2 import Environment, pass_context
from jinja2.ext import Extension
from jinja2.runtime import Context

CATALOG_PATH = Path(__file__).with_name("catalog.toml")
INCLUDES_PATH = Path(__file__).parent.parent / "includes"
COPIER_YML_PATH = Path(__file__).parent.parent / "copier.yml"

SQL_DATABASES = frozenset({"sqlite", "postgresql", "mysql"})


DATABASE_TITLES = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "mysql": "MySQL / MariaDB"}

# Module of the generated observability package that each choice owns.
OBSERVABILITY_MODULES = {
    "prometheus": "metrics",
    "opentelemetry": "tracing",
    "sentry": "error_reporting",
}
# Those that serve on a port of their own (each offers listen_port(settings)).
LISTENING_MODULES = frozenset({"metrics"})
# Modules of the framework-neutral base that exist whatever the answers
# (besides those of resources, auth and observability), and the domain
# modules every package may have; the rendered import-linter contract keeps
# them free of web frameworks. cli.py is not one: it starts the server.
BASE_MODULES = (
    "settings",
    "logs",
    "lifecycle",
    "ids",
    "http_errors",
    "http_headers",
    "outage_log",
)
AUTH_BASE_MODULES = ("auth.security",)
# The framework-free modules the WSGI frameworks share (template/src/
# {% if not is_async %}...): the interface tree beside it is their web layer.
WSGI_MODULES = ("cors", "forwarded")
# Those of the SQLAlchemy stack (FastAPI), with its resources.
SQLALCHEMY_MODULES = ("runtime", "resources", "models", "migrations", "concurrency")
SQLALCHEMY_AUTH_MODULES = ("auth.ratelimit",)
# With a queue: the task seam (queue-neutral: the registry, runs and their
# receipts) and the two modules that speak the queue library's language.
QUEUE_MODULES = ("tasks", "broker", "worker", "*.tasks")
DOMAIN_MODULES = ("*.models", "*.service", "*.schemas")
# The web layer's half of an integration (each framework overlay has these
# modules, each offering install(app, settings)); Sentry hooks in by itself.
WEB_OBSERVABILITY_MODULES = {"prometheus": "http_metrics", "opentelemetry": "http_tracing"}

# No whitespace, and none of RFC 5322's specials, which would need quoting in
# the Author-email field of the package metadata.
EMAIL_PATTERN = re.compile(r'^[^@\s"(),:;<>\[\\\]]+@[^@\s"(),:;<>\[\\\]]+\.[A-Za-z]{2,}$')


def _load_sibling(name: str) -> ModuleType:
    """Import ``extensions/<name>.py``: Copier loads this file by path, not as a package."""
    spec = importlib.util.spec_from_file_location(
        f"{__name__}_{name}", Path(__file__).with_name(f"{name}.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


escaping = _load_sibling("escaping")
synchronous = _load_sibling("synchronous")


@pass_context
def in_interface_form(context: Context, source: str) -> str:
    """Python written for asyncio, as the render's interface runs it: as
    written for ASGI, in its synchronous form for WSGI (synchronous.py)."""
    if context["interface"] == "asgi":
        return source
    return synchronous.synchronous(source)


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
        return (
            f"'{name}' would shadow the standard library module: "
            f"pick another name (e.g. {name}_service)."
        )
    if name in load_catalog()["reserved_package_names"]:
        return (
            f"'{name}' would shadow a dependency or tool of the project: "
            f"pick another name (e.g. {name}_service)."
        )
    if name.startswith("_"):
        return "The package name must start with a letter (e.g. acme_orders)."
    return ""


def project_slug_error(slug: str) -> str:
    """Why ``slug`` cannot be the distribution name, or "" when it can."""
    if not str(slug):
        # The default slug comes from the name; a name in another script
        # (e.g. Japanese) gives none, and the user types one instead.
        return "Type a slug: the name has no Latin letters to make one from (e.g. acme-orders)."
    if not re.fullmatch(r"[a-z][a-z0-9-]*", str(slug)) or str(slug).endswith("-"):
        return (
            f"'{slug}' is not a valid slug: type lower-case letters, digits and hyphens, "
            "starting with a letter (e.g. acme-orders)."
        )
    return ""


def email_error(email: str) -> str:
    """Why ``email`` is not an address, or "" when it is."""
    if escaping.unsafe_characters(email) or not EMAIL_PATTERN.fullmatch(str(email)):
        return f"'{email}' is not an e-mail address: type one like jane@example.com."
    return ""


def free_text_error(text: str, what: str) -> str:
    """Why ``text`` cannot be written into the project's files, or "" when it can.

    Quotes, backslashes, braces and accents are escaped for each file's syntax
    (extensions/escaping.py); only line breaks and control characters are
    refused, since the package metadata and a Markdown heading hold one line.
    """
    if escaping.unsafe_characters(text):
        return f"Type the {what} on one line, without tabs or control characters."
    return ""


# copier.yml's `_answers_file`: where a project records its answers.
ANSWERS_FILE = ".copier-answers.yml"


def framework_change_error(framework: str, operation: str, destination: object) -> str:
    """Why an update may not switch ``framework``, or "" when it keeps it.

    A project's code is written for the framework it was rendered with; an
    update cannot translate it, so a different one means a fresh copy.
    """
    if operation != "update":
        return ""
    answers_path = Path(str(destination)) / ANSWERS_FILE
    try:
        recorded = (yaml.safe_load(answers_path.read_text(encoding="utf-8")) or {}).get("framework")
    except (OSError, yaml.YAMLError):
        return ""
    if recorded is None or recorded == framework:
        return ""
    return (
        f"This project is built on {recorded}; an update keeps it. For {framework},"
        f" make a fresh copy and move your code over (see docs/updating.md)."
    )


def framework_python_error(framework: str, python_version: object) -> str:
    """Why ``framework`` cannot run on ``python_version``, or "" when it can."""
    minimum = load_catalog()["framework"].get(framework, {}).get("min_python")
    if minimum is None or _version(str(python_version)) >= _version(minimum):
        return ""
    return f"{framework} needs Python {minimum} or later: choose python_version {minimum} or above."


# Targets that run the service as several processes on several machines at
# once: they need a database those processes share over the network.
SHARED_DATABASE_TARGETS = ("kubernetes", "helm", "serverless")


def deploy_targets_error(deploy_targets: Any, database: object) -> str:
    """Why the targets cannot run on ``database``, or "" when they can."""
    if database != "sqlite":
        return ""
    needing = " and ".join(t for t in as_list(deploy_targets) if t in SHARED_DATABASE_TARGETS)
    if not needing:
        return ""
    return (
        f"{needing} run several copies of the service, which cannot share a SQLite file:"
        f" choose database postgresql or mysql, or leave out {needing}."
    )


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdigit())


def as_comment(text: str, prefix: str = "# ", width: int = 79) -> str:
    """``text`` as comment lines of at most ``width`` characters, each
    starting with ``prefix`` (its indentation included)."""
    return textwrap.fill(str(text), width=width, initial_indent=prefix, subsequent_indent=prefix)


def as_list(value: Any) -> list[str]:
    """A multiselect answer as a list, also while it is still raw YAML text from --data."""
    if isinstance(value, str):
        value = yaml.safe_load(value)
    return [str(item) for item in value or []]


def feature_entry(table: dict[str, Any], feature: str) -> dict[str, Any]:
    """The entry of a dotted feature name in a catalog table, or {}:
    ``feature_entry(catalog["compose"], "cache.redis")`` is [compose.cache.redis]."""
    entry: Any = table
    for part in feature.split("."):
        entry = entry.get(part, {}) if isinstance(entry, dict) else {}
    return entry if isinstance(entry, dict) else {}


def delivery_facts(features: list[str], code_style: str, catalog: dict[str, Any]) -> dict[str, Any]:
    """What compose.yaml, the CI workflow, the Makefile and pre-commit read.

    Per-feature entries of the catalog are merged in the order of
    ``features``, so the templates loop over plain lists and mappings
    instead of testing each feature.
    """
    compose: dict[str, Any] = {
        "environment": {},
        "app_depends_on": {},
        "migrate_depends_on": {},
        "mounts": [],
        "volumes": [],
    }
    for feature in features:
        for key, value in feature_entry(catalog["compose"], feature).items():
            if isinstance(value, dict):
                compose[key].update(value)
            else:
                compose[key] += value

    # CI test job: one service container per feature that has an entry, with
    # the image and port of its catalog choice, and the URL the tests read.
    ci_services = []
    ci_test_env = {}
    for feature in features:
        service = feature_entry(catalog["ci_services"], feature)
        if not service:
            continue
        choice = feature_entry(catalog, feature)
        ci_services.append(
            {
                **service,
                "image": choice["image"],
                "port": choice["port"],
                # Where the runner reaches it: compose.yaml's published port.
                "host_port": choice.get("port_published", choice["port"]),
            }
        )
        ci_test_env[service["url_variable"]] = service["url"]

    # GitLab reaches a service container by its alias (GitHub publishes it
    # on the runner's localhost), on the same port: services may share one
    # network namespace there (Kubernetes executor), so a broker's Redis
    # listens on its own port (catalog: gitlab_command).
    gitlab_test_env = {
        service["url_variable"]: service["url"]
        .replace("localhost:", f"{service['name']}:")
        .replace("127.0.0.1:", f"{service['name']}:")
        for service in ci_services
    }

    style = catalog["code_style"][code_style]
    return {
        "gitlab_test_env": gitlab_test_env,
        "supply_chain": catalog["supply_chain"],
        "buildah_image": catalog["gitlab"]["buildah_image"],
        "compose": compose,
        "ci_services": ci_services,
        "ci_test_env": ci_test_env,
        "github_actions": {
            name: f"{action['repo']}@{action['sha']} # {action['version']}"
            for name, action in catalog["github_actions"].items()
        },
        "lint_commands": style["check"],
        "format_commands": style["fix"],
        "pre_commit_hooks_rev": catalog["pre_commit"]["hooks_rev"],
        "pre_commit_repos": style["pre_commit"],
    }


def cluster_facts(features: list[str], catalog: dict[str, Any]) -> dict[str, Any]:
    """What the Kubernetes manifests and the Helm chart read: the variables
    kept in the referenced Secret, and the ports pods may connect to."""
    secrets: list[str] = []
    egress: dict[int, list[str]] = {}
    resources: list[str] = []
    ports: list[dict[str, Any]] = []
    for feature in features:
        entry = feature_entry(catalog["cluster"], feature)
        resources += entry.get("resources", [])
        ports += entry.get("ports", [])
        secrets += [name for name in entry.get("secrets", []) if name not in secrets]
        for rule in entry.get("egress", []):
            egress.setdefault(rule["port"], []).append(rule["to"])
    return {
        "secret_variables": secrets,
        # Manifests beyond those every render has (the worker's Deployment).
        "resources": resources,
        # Ports the containers listen on besides HTTP (8000).
        "listening_ports": ports,
        "egress": [{"port": port, "to": " and ".join(to)} for port, to in sorted(egress.items())],
        "settings": catalog["kubernetes"]["settings"],
        "oldest_version": catalog["kubernetes"]["oldest_version"],
        "newest_version": catalog["kubernetes"]["newest_version"],
    }


@cache
def question_defaults() -> dict[str, Any]:
    """copier.yml's defaults that are plain values (not Jinja), by question."""
    defaults: dict[str, Any] = {}
    for document in yaml.safe_load_all(COPIER_YML_PATH.read_text(encoding="utf-8")):
        for name, spec in (document or {}).items():
            if name.startswith("_") or not isinstance(spec, dict) or "default" not in spec:
                continue
            default = spec["default"]
            if not (isinstance(default, str) and "{" in default):
                defaults[name] = default
    return defaults


def derive(answers: dict[str, Any]) -> dict[str, Any]:
    """Facts computed from the answers, under the names the templates read.

    A question not answered yet (Copier renders earlier questions' defaults
    and validators before later ones are asked) counts at its copier.yml
    default, read from copier.yml rather than repeated here.
    """
    catalog = load_catalog()
    given = {**question_defaults(), **answers}
    database = given["database"]
    cache_choice = given["cache"]
    auth = given["auth"]
    code_style = given["code_style"]
    observability = as_list(given["observability"])
    python_version = str(given["python_version"])

    framework = given["framework"]
    framework_entry = catalog["framework"][framework]
    is_async = framework_entry["interface"] == "asgi"
    # The data layer: Django brings its ORM; the others share SQLAlchemy,
    # driven through asyncio under ASGI and synchronously under WSGI (Flask),
    # each with its own drivers (catalog keys: the data stack).
    orm = "django" if framework == "django" else "sqlalchemy"
    data_stack = orm if orm == "django" or is_async else "sqlalchemy_sync"
    is_sql = database in SQL_DATABASES
    is_server_database = is_sql and database != "sqlite"
    database_entry = catalog["database"].get(database, {})
    needs_redis = cache_choice == "redis"
    has_auth = auth != "none"
    has_prometheus = "prometheus" in observability
    queue = given["queue"]
    has_queue = queue != "none"
    # Copier keeps the default of a question it did not ask (broker, without
    # a queue): only a chosen queue has a broker.
    broker = given["broker"] if has_queue else ""
    queue_entry = catalog["queue"].get(queue, {})
    broker_entry = catalog["broker"].get(broker, {})

    runtime = list(framework_entry["packages"])
    if is_sql:
        runtime += catalog["orm"].get(data_stack, {}).get("packages", [])
    runtime += database_entry.get("drivers", {}).get(data_stack, [])
    if needs_redis:
        runtime += catalog["cache"]["redis"]["packages"]
    if has_queue:
        runtime += queue_entry["packages"].get(broker, [])
    if has_auth:
        runtime += catalog["auth"][auth]["packages"] + framework_entry["auth_packages"]
    for choice in observability:
        # An unknown choice is refused by Copier's own choice validation; it
        # must not crash this hook first.
        entry = catalog["observability"].get(choice, {})
        runtime += entry.get("packages", [])
        runtime += entry.get("framework_packages", {}).get(framework, [])
    if "opentelemetry" in observability:
        runtime += database_entry.get("tracing_drivers", {}).get(data_stack, [])

    dev = [
        *catalog["dev"]["packages"],
        *framework_entry["dev_packages"],
        *queue_entry.get("dev_packages", {}).get(broker, []),
        *catalog["code_style"][code_style]["dev_packages"],
    ]
    system_packages = database_entry.get("system_packages", {}).get(data_stack, {})

    # Active features, named by axis ("cache.redis" is not a broker's Redis):
    # each may own snippets (includes/<slot>/<feature>.jinja) and catalog
    # entries under its dotted name (e.g. [compose.cache.redis]).
    features = [
        name
        for name, active in (
            (f"framework.{framework}", True),
            (f"interface.{framework_entry['interface']}", True),
            (f"orm.{orm}", True),
            (f"database.{database}", True),
            ("database.sql", is_sql),
            ("database.server", is_server_database),
            # A pool of connections to a database server, kept by SQLAlchemy
            # (Django keeps one connection per thread: DATABASE_CONN_MAX_AGE).
            ("database.pool", is_server_database and orm == "sqlalchemy"),
            # The database under this stack's driver, where its engine
            # differs (includes/db-engine: asyncpg or psycopg).
            (f"database.{database}.{'asyncio' if is_async else 'sync'}", orm == "sqlalchemy"),
            ("cache.redis", needs_redis),
            ("cache.none", not needs_redis),
            # A background task queue: its worker, its broker (named apart
            # from the cache: a broker's Redis is not cache.redis).
            ("queue.any", has_queue),
            # The worker's metrics (observability/task_metrics.py).
            ("queue.metrics", has_queue and has_prometheus),
            (f"queue.{queue}", has_queue),
            (f"broker.{broker}", has_queue),
            # The service signs something: tokens, or Django's sessions.
            ("secret.key", has_auth or framework == "django"),
            ("auth.any", has_auth),
            ("auth.none", not has_auth),
            *((f"observability.{choice}", True) for choice in observability),
            *((f"deploy.{target}", True) for target in as_list(given["deploy_targets"])),
        )
        if active
    ]

    # Modules of the generated package that own an external connection, in
    # start-up order; each offers RESOURCE (runtime.Resource).
    resource_modules = [
        name
        for name, active in (("db", is_sql), ("cache", needs_redis), ("broker", has_queue))
        if active and orm == "sqlalchemy"
    ]
    observability_modules = [
        OBSERVABILITY_MODULES[choice] for choice in observability if choice in OBSERVABILITY_MODULES
    ]
    worker_observability_modules = ["task_metrics"] if has_queue and has_prometheus else []
    # What the rendered import-linter contract keeps free of every web
    # framework: the base's modules (tests/test_layers.py checks that this
    # names every module the base renders) and, by wildcard, the domain
    # modules of every package, the user's own included.
    framework_free_modules = [
        *BASE_MODULES,
        *(SQLALCHEMY_MODULES if orm == "sqlalchemy" else []),
        *(WSGI_MODULES if not is_async else []),
        *resource_modules,
        *(AUTH_BASE_MODULES if has_auth else []),
        *(SQLALCHEMY_AUTH_MODULES if has_auth and orm == "sqlalchemy" else []),
        *(f"observability.{module}" for module in observability_modules),
        *(f"observability.{module}" for module in worker_observability_modules),
        *(DOMAIN_MODULES if orm == "sqlalchemy" else []),
        *(
            (
                "heartbeat",
                "tasks.sweep",
                *(m.format(broker=broker) for m in queue_entry["base_modules"]),
            )
            if has_queue
            else ()
        ),
        *(QUEUE_MODULES if has_queue and orm == "sqlalchemy" else []),
    ]

    return {
        "features": features,
        # One name per server kind: a broker's Redis is named once, cache or not.
        "services_summary": " and ".join(
            dict.fromkeys(
                [DATABASE_TITLES.get(database, database)]
                + (["Redis"] if needs_redis else [])
                + ([broker_entry["title"]] if has_queue else [])
            )
        ),
        "resource_modules": resource_modules,
        # The readiness checks, by the names /health/ready answers them.
        "resource_names": [
            name
            for name, active in (
                ("database", is_sql),
                ("redis", needs_redis),
                ("broker", has_queue),
            )
            if active
        ],
        "observability_modules": observability_modules,
        "listening_modules": [m for m in observability_modules if m in LISTENING_MODULES],
        # The task worker's own (observability/__init__.py: WORKER_INTEGRATIONS).
        "worker_observability_modules": worker_observability_modules,
        "framework_free_modules": framework_free_modules,
        "web_framework_packages": sorted(
            {name for entry in catalog["framework"].values() for name in entry["web_imports"]}
        ),
        "web_observability_modules": [
            WEB_OBSERVABILITY_MODULES[choice]
            for choice in observability
            if choice in WEB_OBSERVABILITY_MODULES
        ],
        "orm": orm,
        "is_async": is_async,
        "interface": framework_entry["interface"],
        "wsgi_module": framework_entry.get("wsgi_module", ""),
        "framework_title": framework_entry["title"],
        "data_layer_summary": framework_entry["data_layer"],
        "server_summary": framework_entry["server"],
        # The module the migrate command runs (upgrade_to_head, outage_of).
        "migrate_module": "migrations" if orm == "sqlalchemy" else "config.migrate",
        "is_sql": is_sql,
        "is_sqlite": database == "sqlite",
        "is_server_database": is_server_database,
        "database_driver": database_entry.get("driver", {}).get(data_stack, ""),
        "database_schemes": database_entry.get("schemes", []),
        "database_query_renames": database_entry.get("query_renames", {}).get(data_stack, {}),
        "database_connect_args": database_entry.get("connect_args", {}),
        "database_sqlalchemy_imports": _per_stack(
            database_entry.get("sqlalchemy_imports", []), data_stack
        ),
        "database_engine_imports": database_entry.get("engine_imports", []),
        # The instrumentation that traces the driver's queries (Django).
        "database_tracing_instrumentor": database_entry.get("tracing_instrumentor", {}).get(
            data_stack, {}
        ),
        "database_image": database_entry.get("image", ""),
        "create_database_sql": database_entry.get("create_database", ""),
        "drop_database_sql": database_entry.get("drop_database", ""),
        "database_port": database_entry.get("port", 0),
        "database_default_url": database_entry.get("default_url", ""),
        "needs_redis": needs_redis,
        "redis_image": catalog["cache"]["redis"]["image"],
        "redis_default_url": catalog["cache"]["redis"]["default_url"],
        "has_auth": has_auth,
        "has_queue": has_queue,
        "queue_title": queue_entry.get("title", ""),
        "broker_title": broker_entry.get("title", ""),
        "broker_schemes": broker_entry.get("schemes", []),
        "broker_default_url": broker_entry.get("default_url", ""),
        "broker_image": broker_entry.get("image", ""),
        "broker_port_published": broker_entry.get("port_published", 0),
        "has_prometheus": has_prometheus,
        "has_opentelemetry": "opentelemetry" in observability,
        "has_sentry": "sentry" in observability,
        "uses_ruff_format": code_style == "ruff",
        "python_image": catalog["python"][python_version]["image"],
        "python_target": "py" + python_version.replace(".", ""),
        "uv_version": catalog["uv"]["version"],
        "uv_image": catalog["uv"]["image"],
        "uv_ci_image": catalog["uv"]["ci_image"].format(python=python_version),
        "mypy_plugins": framework_entry["mypy_plugins"],
        "system_build_packages": system_packages.get("build", []),
        "system_runtime_packages": system_packages.get("runtime", []),
        "runtime_packages": sorted(runtime, key=str.lower),
        "dev_packages": sorted(dev, key=str.lower),
        **delivery_facts(features, code_style, catalog),
        "cluster": cluster_facts(features, catalog),
    }


def _per_stack(value: Any, data_stack: str) -> Any:
    """A catalog value that is the same for every data stack, or a table of
    one per stack."""
    return value.get(data_stack, []) if isinstance(value, dict) else value


def snippet_paths(features: list[str], slot: str) -> list[str]:
    """Template paths of the snippets that the active features add to ``slot``.

    A feature contributes lines to a shared file by owning
    ``includes/<slot>/<feature>.jinja``; the shared file asks for the slot
    instead of holding one condition per feature.
    """
    folder = INCLUDES_PATH / slot
    return [
        f"includes/{slot}/{name}.jinja" for name in features if (folder / f"{name}.jinja").is_file()
    ]


class ContextUpdater(ContextHook):
    """Adds the derived facts and ``include_snippets`` to every template's context."""

    def hook(self, context: dict[str, Any]) -> None:
        derived = derive(context)
        context.update(derived)

        def include_snippets(slot: str, *, blank_line: bool = True) -> str:
            """The slot's snippets, rendered and joined.

            ``blank_line=True``: each snippet is preceded by a blank line; write
            ``{{ include_snippets("slot") }}`` on a line of its own, right after
            the line the snippets follow (with no active snippet the line
            renders as one blank line).

            ``blank_line=False``: the snippets' lines continue the previous
            line's block; write ``{{- include_snippets("slot", blank_line=False) }}``
            on the line after it.
            """
            rendered = [
                self.environment.get_template(path).render(context)
                for path in snippet_paths(derived["features"], slot)
            ]
            if blank_line:
                return "".join("\n" + text for text in rendered)
            return "".join("\n" + text.rstrip("\n") for text in rendered)

        context["include_snippets"] = include_snippets


class AnswerFilters(Extension):
    """Filters used by copier.yml defaults and validators, and the escaping filters."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["slugify"] = slugify
        environment.filters["package_name_error"] = package_name_error
        environment.filters["project_slug_error"] = project_slug_error
        environment.filters["email_error"] = email_error
        environment.filters["free_text_error"] = free_text_error
        environment.filters["framework_change_error"] = framework_change_error
        environment.filters["framework_python_error"] = framework_python_error
        environment.filters["deploy_targets_error"] = deploy_targets_error
        # Every free-text answer written into a file passes through the filter
        # of the file's syntax (gates.unescaped_answers checks the templates).
        environment.filters.update(escaping.FILTERS)
        environment.filters["in_interface_form"] = in_interface_form
        environment.filters["as_comment"] = as_comment
