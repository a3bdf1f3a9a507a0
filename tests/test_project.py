"""Project tier: install rendered projects, run their own checks, boot and drive them.

For each database x auth pair (spreading the other answers across the six),
the rendered project must install with uv, pass mypy and its linters, pass its
own test suite against the real database (and Redis), and then serve HTTP in
production mode: probes, metrics, register, login, a CRUD round trip, and
another user's item refused, and a bounded fuzz run (schemathesis, fixed
seed) that finds no 5xx answer.
"""

from __future__ import annotations

import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.project_runner import (
    FakeCollector,
    ProjectRun,
    ServerDatabase,
    client_headers,
    drive_service,
    free_port,
    fuzz_service,
    log_in,
    running_service,
)
from tests.services import require_service

pytestmark = pytest.mark.project

# database x auth, each pair once; the other answers vary so that every
# Python version, both code styles, Redis and every observability choice run.
PROJECTS = [
    {"database": "sqlite", "auth": "jwt"},
    {
        "database": "sqlite",
        "auth": "none",
        "python_version": "3.11",
        "code_style": "black-isort",
        "observability": [],
        "ci": "none",
    },
    {
        "database": "postgresql",
        "auth": "jwt",
        "cache": "redis",
        "python_version": "3.12",
        "observability": ["prometheus", "opentelemetry", "sentry"],
    },
    {"database": "postgresql", "auth": "none", "observability": ["opentelemetry"]},
    {
        "database": "mysql",
        "auth": "jwt",
        "cache": "redis",
        "python_version": "3.11",
        "code_style": "black-isort",
    },
    {
        "database": "mysql",
        "auth": "none",
        "python_version": "3.12",
        "observability": ["sentry"],
    },
]


def _id(answers: dict[str, object]) -> str:
    return f"{answers['database']}-{answers['auth']}"


@pytest.fixture(scope="module", params=PROJECTS, ids=_id)
def project(
    request: pytest.FixtureRequest, rendered, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ProjectRun]:
    answers: dict[str, object] = request.param
    database = str(answers["database"])
    if database != "sqlite":
        require_service(database)
    if answers.get("cache") == "redis":
        require_service("redis")
    workdir = tmp_path_factory.mktemp(_id(answers))
    source = Path(shutil.copytree(rendered(answers), workdir / "project", symlinks=True))
    run = ProjectRun(source, answers)
    run.sync()
    yield run


def test_type_checks(project: ProjectRun) -> None:
    project.check("mypy")


def test_linters(project: ProjectRun) -> None:
    if project.answers.get("code_style") == "black-isort":
        project.check("flake8")
        project.check("black", "--check", ".")
        project.check("isort", "--check-only", ".")
    else:
        project.check("ruff", "check", ".")
        project.check("ruff", "format", "--check", ".")


def test_own_test_suite_passes(project: ProjectRun) -> None:
    result = project.run("pytest", "-q", "-p", "no:cacheprovider")
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "skipped" not in result.stdout, result.stdout


def test_service_serves_http_in_production(project: ProjectRun) -> None:
    with ServerDatabase.for_project(project) as database_url:
        env = project.service_env(
            database_url,
            ENVIRONMENT="production",
            SECRET_KEY=secrets.token_urlsafe(48),
            CORS_ORIGINS="https://app.example.com",
            PORT=str(free_port()),
        )
        migrate = project.run(project.slug, "migrate", env=env)
        assert migrate.returncode == 0, migrate.stderr
        with running_service(project, env) as base_url:
            drive_service(base_url, project.answers)
            fuzz_service(base_url, project.answers)


@pytest.mark.gates
def test_service_refuses_placeholder_secrets_in_production(project: ProjectRun) -> None:
    env = project.service_env(
        project.default_database_url(),
        ENVIRONMENT="production",
        SECRET_KEY="change-me",
        DEBUG="true",
        CORS_ORIGINS="*",
    )
    result = project.run(project.slug, "serve", env=env, timeout=60)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    for variable in ("DEBUG", "CORS_ORIGINS"):
        assert variable in output, output
    if project.answers["auth"] == "jwt":
        assert "SECRET_KEY" in output, output


SHARED_LIMIT_PROJECTS = [p for p in PROJECTS if p["auth"] == "jwt" and p.get("cache") == "redis"]


@pytest.mark.parametrize("project", SHARED_LIMIT_PROJECTS, ids=_id, indirect=True)
def test_login_limit_holds_across_workers(project: ProjectRun) -> None:
    """With Redis, the login limit is shared by every worker process."""
    with ServerDatabase.for_project(project) as database_url:
        env = project.service_env(
            database_url,
            PORT=str(free_port()),
            WEB_CONCURRENCY="2",
            LOGIN_RATE_LIMIT="3",
        )
        assert project.run(project.slug, "migrate", env=env).returncode == 0
        with running_service(project, env) as base_url:
            form = {"username": f"{secrets.token_hex(6)}@example.com", "password": "x" * 12}
            # A new connection per attempt, so the kernel spreads them over
            # both workers' shared listening socket.
            headers = client_headers()
            statuses = [
                httpx.post(
                    f"{base_url}/auth/login", data=form, headers=headers, timeout=10
                ).status_code
                for _ in range(6)
            ]
    assert statuses == [401, 401, 401, 429, 429, 429]


@pytest.mark.gates
@pytest.mark.parametrize("project", PROJECTS[:1], ids=_id, indirect=True)
def test_fuzzing_catches_a_server_error(
    project: ProjectRun, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A route that crashes on a valid but unusual input is found by the fuzz run."""
    read_item = "    return ItemRead.model_validate(await _find(session, scope, item_id))"
    broken = project.broken_copy(
        tmp_path_factory.mktemp("broken"),
        "items/router.py",
        read_item,
        "    if item_id > 1_000_000:\n        raise RuntimeError\n" + read_item,
    )
    with ServerDatabase.for_project(broken) as database_url:
        env = broken.service_env(database_url, PORT=str(free_port()))
        assert broken.run(broken.slug, "migrate", env=env).returncode == 0
        with running_service(broken, env) as base_url, pytest.raises(AssertionError):
            fuzz_service(base_url, broken.answers)


@pytest.mark.gates
@pytest.mark.parametrize("project", PROJECTS[:1], ids=_id, indirect=True)
def test_type_check_catches_a_type_error(
    project: ProjectRun, tmp_path_factory: pytest.TempPathFactory
) -> None:
    broken = project.broken_copy(
        tmp_path_factory.mktemp("mistyped"),
        "items/service.py",
        "    return list(rows), total or 0",
        "    return list(rows), str(total or 0)",
    )
    result = broken.run("mypy")
    assert result.returncode != 0
    assert "service.py" in result.stdout, result.stdout


TRACED_PROJECTS = [p for p in PROJECTS if "opentelemetry" in p.get("observability", ["prometheus"])]


@pytest.mark.parametrize("project", TRACED_PROJECTS, ids=_id, indirect=True)
def test_traces_reach_the_collector(project: ProjectRun) -> None:
    """With an OTLP endpoint set, request and database spans are exported to it."""
    with ServerDatabase.for_project(project) as database_url, FakeCollector() as collector:
        env = project.service_env(
            database_url,
            PORT=str(free_port()),
            OTEL_EXPORTER_OTLP_ENDPOINT=collector.endpoint,
            # Export within a fraction of a second instead of every 5 s.
            OTEL_BSP_SCHEDULE_DELAY="100",
        )
        assert project.run(project.slug, "migrate", env=env).returncode == 0
        with running_service(project, env) as base_url:
            headers = client_headers()
            if project.answers["auth"] == "jwt":
                with httpx.Client(base_url=base_url, headers=headers) as client:
                    headers |= log_in(client)
            httpx.get(f"{base_url}/items", headers=headers, timeout=10)
            assert collector.wait_for("/v1/traces", b"/items"), collector.bodies
            assert collector.wait_for("/v1/traces", b"SELECT"), "no database span exported"


METRICS_PROJECTS = [p for p in PROJECTS if "prometheus" in p.get("observability", ["prometheus"])]


@pytest.mark.parametrize("project", METRICS_PROJECTS[:1], ids=_id, indirect=True)
def test_metrics_add_up_every_worker(
    project: ProjectRun, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """In multiprocess mode a scrape counts the requests of both workers."""
    with ServerDatabase.for_project(project) as database_url:
        env = project.service_env(
            database_url,
            PORT=str(free_port()),
            WEB_CONCURRENCY="2",
            PROMETHEUS_MULTIPROC_DIR=str(tmp_path_factory.mktemp("prometheus")),
        )
        assert project.run(project.slug, "migrate", env=env).returncode == 0
        with running_service(project, env) as base_url:
            for _ in range(20):
                # A new connection each time, spread over both workers.
                httpx.get(f"{base_url}/health/live", timeout=10)
            scrapes = [httpx.get(f"{base_url}/metrics", timeout=10).text for _ in range(3)]
    pattern = r'http_requests_total\{[^}]*route="/health/live"[^}]*\} (\d+)'
    counts = [sum(float(n) for n in re.findall(pattern, text)) for text in scrapes]
    assert all(count >= 20 for count in counts), counts
