"""Fixtures shared by the template's tests."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.rendering import RenderCache, snapshot_template
from tests.unoffered import UNOFFERED, snapshot_offering_everything

# While no choice is under construction, tests/test_unoffered.py has nothing to
# render: it is not collected, rather than reported as skipped.
collect_ignore = [] if UNOFFERED else ["test_unoffered.py"]

# A personal Copier settings file (defaults, trusted repositories) would change
# what renders. Point Copier at an explicitly empty one before any test runs:
# an empty *file* is invalid to Copier and a missing one makes it warn, so the
# file holds an empty mapping.
_SETTINGS_DIR = tempfile.mkdtemp(prefix="copier-settings-")
atexit.register(shutil.rmtree, _SETTINGS_DIR, ignore_errors=True)
_SETTINGS_FILE = Path(_SETTINGS_DIR, "settings.yml")
_SETTINGS_FILE.write_text("{}\n", encoding="utf-8")
os.environ["COPIER_SETTINGS_PATH"] = str(_SETTINGS_FILE)


@pytest.fixture(scope="session")
def template_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template as it is on disk when the session starts (one per xdist worker)."""
    return snapshot_template(tmp_path_factory.mktemp("template") / "template")


@pytest.fixture(scope="session")
def rendered(template_snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> RenderCache:
    """``rendered(answers)`` -> the project directory, rendered once per worker."""
    return RenderCache(template_snapshot, tmp_path_factory.mktemp("renders"))


@pytest.fixture(scope="session")
def rendered_offering_everything(tmp_path_factory: pytest.TempPathFactory) -> RenderCache:
    """Like ``rendered``, from a template that also offers the choices under
    construction (tests/unoffered.py)."""
    template = snapshot_offering_everything(tmp_path_factory.mktemp("offering") / "template")
    return RenderCache(template, tmp_path_factory.mktemp("offering-renders"))


@pytest.fixture
def writable_copy(tmp_path: Path) -> Callable[[Path], Path]:
    """``writable_copy(project)`` -> a private copy that a test may damage."""

    def copy(project: Path) -> Path:
        return Path(shutil.copytree(project, tmp_path / project.name, symlinks=True))

    return copy
