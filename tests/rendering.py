"""Render the template in-process, once per combination and test worker.

Renders come from a snapshot of the working tree taken when the session
starts: Copier then reads a plain directory (no git clone per render, which
is slower) and every test of the session sees the same template, including
edits not yet committed.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import copier

from tests.combinations import TEMPLATE_ROOT, Row, combination_id, to_copier_data

# What a render never needs from the repository: VCS data, environments, caches.
SNAPSHOT_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "__pycache__",
    "*.py[co]",
    ".pytest_cache",
    ".ruff_cache",
    ".mypy_cache",
    "site",
    ".benchmarks",
    "uv.lock",
)


def snapshot_template(destination: Path, source: Path = TEMPLATE_ROOT) -> Path:
    """Copy the template repository's working tree to ``destination``."""
    shutil.copytree(source, destination, ignore=SNAPSHOT_IGNORE, symlinks=True)
    return destination


def render(template: Path, destination: Path, answers: Row) -> Path:
    """Render ``answers`` (other questions at their defaults) into ``destination``."""
    with warnings.catch_warnings():
        # Copier warns about the missing VCS of the snapshot; nothing to act on.
        warnings.simplefilter("ignore")
        copier.run_copy(
            str(template),
            str(destination),
            data=to_copier_data(answers),
            defaults=True,
            unsafe=True,
            quiet=True,
        )
    return destination


class RenderFailedError(Exception):
    """Copier could not render a combination (kept so later tests fail at once)."""


class RenderCache:
    """Renders each combination once; tests must treat the directories as read-only."""

    def __init__(self, template: Path, root: Path) -> None:
        self.template = template
        self.root = root
        self._done: dict[tuple[tuple[str, object], ...], Path | RenderFailedError] = {}

    def __call__(self, answers: Row) -> Path:
        # Multiselect answers may come as lists (Copier's form) or tuples (ours).
        key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in answers.items()))
        if key not in self._done:
            # The directory is named after the combination, so tool output names it.
            name = combination_id(answers) or "defaults"
            destination = self.root / name
            if destination.exists():  # answers outside the varying axes can share an id
                destination = self.root / f"{name}-{len(self._done)}"
            try:
                self._done[key] = render(self.template, destination, answers)
            except Exception as error:  # any Copier failure fails the render
                self._done[key] = RenderFailedError(f"{type(error).__name__}: {error}")
        result = self._done[key]
        if isinstance(result, RenderFailedError):
            raise result
        return result
