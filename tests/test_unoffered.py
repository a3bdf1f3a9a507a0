"""Choices under construction (tests/unoffered.py) keep working while they grow.

Each is rendered from a snapshot of the template that offers it and must pass
its own formatter, linter, type checker and layering contract, and its own
test suite against the real database. The project tier takes it over once
copier.yml offers it (the contract driver, schemathesis, the server checks).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.project_runner import ProjectRun
from tests.rendering import RenderCache
from tests.services import require_services_of

pytestmark = pytest.mark.project

UNOFFERED_PROJECTS: list[dict[str, object]] = []


# The answers an id names, at their defaults when a project leaves them out.
DEFAULTS = {"framework": "fastapi", "database": "sqlite", "auth": "jwt", "queue": "", "broker": ""}


def _id(answers: dict[str, object]) -> str:
    keys = ("framework", "database", "auth", "queue", "broker")
    return "-".join(filter(None, (str(answers.get(key, DEFAULTS[key])) for key in keys)))


@pytest.fixture(scope="module", params=UNOFFERED_PROJECTS, ids=_id)
def project(
    request: pytest.FixtureRequest,
    rendered_offering_everything: RenderCache,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[ProjectRun]:
    answers: dict[str, object] = request.param
    require_services_of(answers)
    workdir = tmp_path_factory.mktemp(_id(answers))
    yield ProjectRun.installed(rendered_offering_everything(answers), workdir, answers)


def test_checks_pass(project: ProjectRun) -> None:
    project.check_style()
    project.check("mypy")
    project.check("lint-imports")


def test_own_test_suite_passes(project: ProjectRun) -> None:
    result = project.run("pytest", "-q", "-p", "no:cacheprovider")
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "skipped" not in result.stdout, result.stdout
