"""Git as the update tests use it: a fixed identity, and what an update leaves unresolved."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Template Tests",
    "GIT_AUTHOR_EMAIL": "tests@example.com",
    "GIT_COMMITTER_NAME": "Template Tests",
    "GIT_COMMITTER_EMAIL": "tests@example.com",
}
# Copier's inline conflict markers ("<<<<<<< before updating", ...).
CONFLICT_MARKERS = ("<<<<<<< ", ">>>>>>> ")
# Folders a project run creates that are neither rendered nor committed.
NOT_RENDERED = {".git", ".venv", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}


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


def init_and_commit(repo: Path, message: str) -> None:
    """Make ``repo`` a Git repository whose first commit holds every file in it."""
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, message)


def conflicts(project: Path) -> list[str]:
    """What an update left unresolved: unmerged paths, inline markers, *.rej files.

    `copier update` exits 0 even when it leaves conflicts, so its exit status
    alone proves nothing.
    """
    problems = [f"unmerged: {line}" for line in git(project, "ls-files", "-u").splitlines()]
    for path in sorted(project.rglob("*")):
        relative = path.relative_to(project)
        if NOT_RENDERED.intersection(relative.parts) or not path.is_file():
            continue
        if path.suffix == ".rej":
            problems.append(f"rejected hunks: {relative}")
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        if any(line.startswith(CONFLICT_MARKERS) for line in lines):
            problems.append(f"conflict markers: {relative}")
    return problems
