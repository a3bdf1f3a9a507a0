"""Projects rendered from every release update to the template as it is now, and stay green.

For each recorded release (and the commit that stands for projects rendered
before the first one, see releases.py) and each canonical combination: render
the old version, commit it as a user would, `copier update` to the working
tree, and require no conflict at all on this untouched project; then install
it and run its own test suite against the real database. A template change
that needs a migration of a template-owned table, and does not ship one,
fails here (the project's models-vs-migrations test).
"""

from __future__ import annotations

from pathlib import Path

import copier
import pytest
import yaml

from tests.combinations import to_copier_data
from tests.gitrepo import conflicts, init_and_commit
from tests.golden import CANONICAL
from tests.project_runner import ProjectRun
from tests.releases import Release, TemplateHistory, update_sources
from tests.services import require_service

pytestmark = pytest.mark.project

SOURCES = update_sources()


@pytest.fixture(scope="module")
def history(template_snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> TemplateHistory:
    return TemplateHistory.create(
        tmp_path_factory.mktemp("history") / "template", template_snapshot, SOURCES
    )


@pytest.mark.parametrize("answers", list(CANONICAL.values()), ids=list(CANONICAL))
@pytest.mark.parametrize("release", SOURCES, ids=[release.tag for release in SOURCES])
def test_update_from_release_leaves_a_green_project(
    history: TemplateHistory, release: Release, answers: dict[str, object], tmp_path: Path
) -> None:
    database = str(answers.get("database", "sqlite"))
    if database != "sqlite":
        require_service(database)
    if answers.get("cache") == "redis":
        require_service("redis")
    project = tmp_path / "service"
    copier.run_copy(
        str(history.path),
        project,
        data=to_copier_data(answers),
        vcs_ref=release.tag,
        defaults=True,
        unsafe=True,
        quiet=True,
    )
    init_and_commit(project, f"Rendered from {release.tag}")

    copier.run_update(
        project, vcs_ref=history.head.tag, defaults=True, unsafe=True, quiet=True, overwrite=True
    )

    assert conflicts(project) == []
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert recorded["_commit"] == history.head.tag
    run = ProjectRun(project, answers)
    run.sync()
    result = run.run("pytest", "-q", "-p", "no:cacheprovider")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout, result.stdout[-3000:]
