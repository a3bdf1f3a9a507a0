"""`copier update` brings template changes in and leaves the user's files alone.

The template is copied into a temporary repository and tagged there, so the
test never depends on tags of the clone it runs from.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import copier
import pytest

pytestmark = pytest.mark.render

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Template Tests",
    "GIT_AUTHOR_EMAIL": "tests@example.com",
    "GIT_COMMITTER_NAME": "Template Tests",
    "GIT_COMMITTER_EMAIL": "tests@example.com",
}
PACKAGE = "src/acme_orders"


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **GIT_IDENTITY},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def template_repo(template_snapshot: Path, tmp_path: Path) -> Path:
    repo = Path(shutil.copytree(template_snapshot, tmp_path / "template"))
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "Template release 0.1.0")
    git(repo, "tag", "v0.1.0")
    return repo


def test_update_keeps_user_files_and_brings_template_changes(
    template_repo: Path, tmp_path: Path
) -> None:
    project = tmp_path / "service"
    copier.run_copy(
        str(template_repo), project, defaults=True, unsafe=True, quiet=True, vcs_ref="v0.1.0"
    )
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "Rendered from the template")

    # The user works on their service.
    edit(project / "README.md", "# Acme Orders", "# Acme Orders\n\nOur order service.")
    edit(
        project / PACKAGE / "domain.py",
        "ROUTERS",
        "# Orders come next.\nROUTERS",
    )
    (project / PACKAGE / "items" / "service.py").unlink()
    (project / "NOTES.md").write_text("Decisions we made.\n", encoding="utf-8")
    commit_all(project, "Our own changes")

    # The template improves a template-owned file, and the example files.
    template_health = template_repo / "template" / "src" / "{{package_name}}" / "health.py.jinja"
    edit(template_health, "PING_TIMEOUT_SECONDS = 2.0", "PING_TIMEOUT_SECONDS = 3.0")
    edit(template_repo / "template" / "README.md.jinja", "## Start", "## Getting started")
    commit_all(template_repo, "Template release 0.2.0")
    git(template_repo, "tag", "v0.2.0")

    copier.run_update(project, defaults=True, unsafe=True, quiet=True, overwrite=True)

    assert git(project, "ls-files", "--unmerged") == ""
    assert not list(project.rglob("*.rej"))
    assert "PING_TIMEOUT_SECONDS = 3.0" in (project / PACKAGE / "health.py").read_text()
    readme = (project / "README.md").read_text()
    assert "Our order service." in readme and "## Getting started" not in readme
    assert "# Orders come next." in (project / PACKAGE / "domain.py").read_text()
    assert not (project / PACKAGE / "items" / "service.py").exists()
    assert (project / "NOTES.md").read_text() == "Decisions we made.\n"
    assert "_commit: v0.2.0" in (project / ".copier-answers.yml").read_text()
    for path in project.rglob("*.py"):
        assert "<<<<<<<" not in path.read_text(encoding="utf-8"), path
