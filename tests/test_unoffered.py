"""Choices under construction (tests/unoffered.py) stay working while they grow.

Each is rendered from a snapshot of the template that offers it, checked by
the project's own linters, type checker, layering contract and test suite
(against the real database), migrated, and served, and its service must pass
the same contract driver as every offered framework (tests/contract.py).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests import gates
from tests.combinations import default_answers
from tests.contract import drive_contract
from tests.project_runner import (
    ProjectRun,
    ServerDatabase,
    client_headers,
    free_port,
    fuzz_service,
    metrics_add_up_every_worker,
    running_service,
    traces_reach_the_collector,
)
from tests.rendering import RenderCache
from tests.services import require_service

pytestmark = pytest.mark.project

UNOFFERED_PROJECTS = [
    {"framework": "django", "database": "sqlite", "auth": "jwt", "observability": []},
    {
        "framework": "django",
        "database": "postgresql",
        "auth": "none",
        "cache": "redis",
        "observability": [],
    },
    {
        "framework": "django",
        "database": "mysql",
        "auth": "jwt",
        "cache": "redis",
        "code_style": "black-isort",
        "python_version": "3.12",
        "observability": ["prometheus", "opentelemetry", "sentry"],
    },
]


def _id(answers: dict[str, object]) -> str:
    return "-".join(str(answers[key]) for key in ("framework", "database", "auth"))


@pytest.fixture(scope="module", params=UNOFFERED_PROJECTS, ids=_id)
def project(
    request: pytest.FixtureRequest,
    rendered_offering_everything: RenderCache,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[ProjectRun]:
    answers: dict[str, object] = request.param
    if answers["database"] != "sqlite":
        require_service(str(answers["database"]))
    if answers.get("cache") == "redis":
        require_service("redis")
    workdir = tmp_path_factory.mktemp(_id(answers))
    source = Path(
        shutil.copytree(rendered_offering_everything(answers), workdir / "project", symlinks=True)
    )
    run = ProjectRun(source, answers)
    run.sync()
    yield run


@pytest.mark.parametrize("answers", UNOFFERED_PROJECTS, ids=_id)
def test_render_passes_every_gate(
    rendered_offering_everything: RenderCache, answers: dict[str, object]
) -> None:
    """The render tier's gates (leftover Jinja, imports, Dockerfile, Compose,
    workflow, ...), and the schema gates, on each choice under construction."""
    render = rendered_offering_everything(answers)
    problems = [
        problem
        for name in gates.gates_for({**default_answers(), **answers})
        for problem in gates.PROJECT_GATES[name](render)
    ]
    problems += gates.compose_schema(render) + gates.workflow_schema(render)
    assert not problems, "\n".join(problems)


def test_checks_pass(project: ProjectRun) -> None:
    if project.answers.get("code_style") == "black-isort":
        project.check("black", "--check", ".")
        project.check("isort", "--check-only", ".")
        project.check("flake8")
    else:
        project.check("ruff", "format", "--check", ".")
        project.check("ruff", "check", ".")
    project.check("mypy")
    project.check("lint-imports")


def test_own_test_suite_passes(project: ProjectRun) -> None:
    result = project.run("pytest", "-q", "-p", "no:cacheprovider")
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "skipped" not in result.stdout, result.stdout


def test_service_keeps_the_contract(project: ProjectRun) -> None:
    with ServerDatabase.for_project(project) as database_url:
        env = project.service_env(database_url, PORT=str(free_port()))
        migrate = project.run(project.slug, "migrate", env=env)
        assert migrate.returncode == 0, migrate.stderr
        with (
            running_service(project, env) as base_url,
            httpx.Client(base_url=base_url, timeout=10, headers=client_headers()) as client,
        ):
            drive_contract(client, auth=project.answers["auth"] == "jwt")


DJANGO_PROJECTS = [answers for answers in UNOFFERED_PROJECTS if answers["framework"] == "django"]
PRODUCTION = {
    "ENVIRONMENT": "production",
    "SECRET_KEY": "a-production-secret-that-is-long-and-random-0123456789",
    "CORS_ORIGINS": "https://app.example.com",
    "ALLOWED_HOSTS": "api.example.com",
}


def _deploy_check(project: ProjectRun) -> subprocess.CompletedProcess[str]:
    env = project.service_env(project.default_database_url(), **PRODUCTION)
    return project.run(
        project.slug, "manage", "check", "--deploy", "--fail-level", "WARNING", env=env
    )


def _migrations_check(project: ProjectRun) -> subprocess.CompletedProcess[str]:
    env = project.service_env(project.default_database_url(), ENVIRONMENT="development")
    return project.run(project.slug, "manage", "makemigrations", "--check", "--dry-run", env=env)


@pytest.mark.parametrize("project", DJANGO_PROJECTS[:1], ids=_id, indirect=True)
def test_django_deploy_check_passes_in_production(project: ProjectRun) -> None:
    result = _deploy_check(project)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("project", DJANGO_PROJECTS[:1], ids=_id, indirect=True)
def test_django_migrations_match_the_models(project: ProjectRun) -> None:
    result = _migrations_check(project)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.gates
@pytest.mark.parametrize("project", DJANGO_PROJECTS[:1], ids=_id, indirect=True)
def test_deploy_check_catches_debug_forced_on(
    project: ProjectRun, tmp_path_factory: pytest.TempPathFactory
) -> None:
    broken = project.broken_copy(
        tmp_path_factory.mktemp("debug-on"), "config/settings.py", "DEBUG = False", "DEBUG = True"
    )
    result = _deploy_check(broken)
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr, result.stdout + result.stderr


@pytest.mark.gates
@pytest.mark.parametrize("project", DJANGO_PROJECTS[:1], ids=_id, indirect=True)
def test_migrations_check_catches_a_model_change(
    project: ProjectRun, tmp_path_factory: pytest.TempPathFactory
) -> None:
    broken = project.broken_copy(
        tmp_path_factory.mktemp("unmigrated"),
        "items/models.py",
        "    created_at = models.DateTimeField(auto_now_add=True)\n",
        "    created_at = models.DateTimeField(auto_now_add=True)\n"
        "    priority = models.IntegerField(default=0)\n",
    )
    result = _migrations_check(broken)
    assert result.returncode != 0
    assert "priority" in result.stdout, result.stdout + result.stderr


def test_fuzzing_finds_nothing(project: ProjectRun) -> None:
    """schemathesis --checks all: no 5xx, and every answer as documented."""
    with ServerDatabase.for_project(project) as database_url:
        env = project.service_env(database_url, PORT=str(free_port()))
        assert project.run(project.slug, "migrate", env=env).returncode == 0
        with running_service(project, env) as base_url:
            fuzz_service(base_url, project.answers)


OBSERVED = [a for a in UNOFFERED_PROJECTS if "opentelemetry" in a.get("observability", [])]


@pytest.mark.parametrize("project", OBSERVED, ids=_id, indirect=True)
def test_traces_reach_the_collector(project: ProjectRun) -> None:
    """Request and query spans are exported; access lines carry the trace id."""
    traces_reach_the_collector(project)


@pytest.mark.parametrize("project", OBSERVED, ids=_id, indirect=True)
def test_metrics_add_up_every_worker(
    project: ProjectRun, tmp_path_factory: pytest.TempPathFactory
) -> None:
    metrics_add_up_every_worker(project, tmp_path_factory.mktemp("prometheus"))
