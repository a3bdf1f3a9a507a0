"""`copier update` brings template changes in and leaves the user's files alone.

Run with the Copier this suite pins and with the oldest Copier copier.yml
accepts (`_min_copier_version`): below 9.18.0, Copier does not split the
update-only `_exclude` block into patterns, so it matches nothing and an
update overwrites the files the user owns. The floor also renders exactly
what the pinned Copier renders, which the render tier checks in depth.

The template is cloned into a scratch repository and tagged there (see
releases.py), so the test never depends on tags of the clone it runs from.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.combinations import COPIER_YML, TEMPLATE_ROOT, to_copier_data
from tests.gitrepo import commit_all, conflicts, git, init_and_commit
from tests.golden import GOLDEN, differences, tree
from tests.releases import TemplateHistory
from tests.rendering import render

pytestmark = pytest.mark.render

PACKAGE = "src/acme_orders"


@dataclass(frozen=True)
class Flavour:
    """What the update test touches in one framework's render."""

    data: tuple[str, ...]
    # A template-owned module of the framework's overlay (DESIGN.md section 4),
    # relative to the overlay, and the change the template makes to it.
    owned: str
    owned_old: str
    owned_new: str
    # The line of domain.py the user and the template both edit above.
    domain_line: str
    # An example file the user deletes.
    example: str

    @property
    def framework(self) -> str:
        return self.data[0].removeprefix("--data=framework=") if self.data else "fastapi"

    @property
    def overlay(self) -> str:
        condition = "{% if framework == '" + self.framework + "' %}"
        return f"template/src/{condition}{{{{package_name}}}}{{% endif %}}"


FLAVOURS = {
    "fastapi": Flavour(
        data=(),
        owned="health.py",
        owned_old="PING_TIMEOUT_SECONDS = 2.0",
        owned_new="PING_TIMEOUT_SECONDS = 3.0",
        domain_line="ROUTERS",
        example="items/service.py",
    ),
    "django": Flavour(
        data=("--data=framework=django",),
        owned="api/health.py",
        owned_old='"""Liveness and readiness probes.',
        owned_new='"""Liveness and readiness probes, improved.',
        domain_line="APPS",
        example="items/serializers.py",
    ),
    "litestar": Flavour(
        data=("--data=framework=litestar",),
        owned="health.py",
        owned_old="PING_TIMEOUT_SECONDS = 2.0",
        owned_new="PING_TIMEOUT_SECONDS = 3.0",
        domain_line="ROUTES",
        example="items/service.py",
    ),
    "flask": Flavour(
        data=("--data=framework=flask",),
        owned="health.py",
        owned_old="PING_TIMEOUT_SECONDS = 2.0",
        owned_new="PING_TIMEOUT_SECONDS = 3.0",
        domain_line="BLUEPRINTS",
        example="items/service.py",
    ),
}


def min_copier_version() -> str:
    return str(yaml.safe_load(COPIER_YML.read_text(encoding="utf-8"))["_min_copier_version"])


def pinned_extensions() -> str:
    """The copier-template-extensions requirement this suite pins, e.g. ``...==0.3.4``."""
    pyproject = tomllib.loads((TEMPLATE_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (pin,) = [p for p in pyproject["dependency-groups"]["dev"] if p.startswith("copier-template-")]
    return str(pin)


# How each Copier is run: the suite's own, and the floor through uvx, as a
# user with that version installed would run it.
COPIERS = {
    "pinned": [sys.executable, "-m", "copier"],
    "floor": [
        *("uvx", "--with", pinned_extensions()),
        *("--from", f"copier=={min_copier_version()}", "copier"),
    ],
}


def run_copier(command: list[str], cwd: Path, *args: str) -> None:
    # The suite's virtual environment must not leak into uvx's.
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    result = subprocess.run(
        [*command, *args, "--trust", "--defaults", "--quiet"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def history(template_snapshot: Path, tmp_path: Path) -> TemplateHistory:
    return TemplateHistory.create(tmp_path / "template", template_snapshot, [])


@pytest.mark.parametrize("flavour", list(FLAVOURS))
@pytest.mark.parametrize("copier", list(COPIERS))
def test_update_keeps_user_files_and_brings_template_changes(
    copier: str, flavour: str, history: TemplateHistory, tmp_path: Path
) -> None:
    command = COPIERS[copier]
    case = FLAVOURS[flavour]
    project = tmp_path / "service"
    # Paths are absolute and the commands run outside the project: Copier
    # records the source as given, and uvx must not see the project's
    # .python-version.
    run_copier(command, tmp_path, "copy", *case.data, str(history.path), str(project))
    init_and_commit(project, "Rendered from the template")

    # The user works on their service.
    edit(project / "README.md", "## Start", "## Start\n\nOur order service.")
    line = case.domain_line
    edit(project / PACKAGE / "domain.py", line, f"# Orders come next.\n{line}")
    (project / PACKAGE / case.example).unlink()
    (project / "NOTES.md").write_text("Decisions we made.\n", encoding="utf-8")
    commit_all(project, "Our own changes")

    # The template improves a template-owned file, and the example files.
    edit(history.path / case.overlay / f"{case.owned}.jinja", case.owned_old, case.owned_new)
    edit(history.path / "template" / "README.md.jinja", "## Start", "## Getting started")
    edit(history.path / case.overlay / "domain.py.jinja", line, f"# Template example.\n{line}")
    newer = history.commit_change("The template improves")

    run_copier(command, tmp_path, "update", str(project))

    assert conflicts(project) == []
    assert case.owned_new in (project / PACKAGE / case.owned).read_text()
    readme = (project / "README.md").read_text()
    assert "Our order service." in readme and "## Getting started" not in readme
    domain = (project / PACKAGE / "domain.py").read_text()
    assert "# Orders come next." in domain and "# Template example." not in domain
    assert not (project / PACKAGE / case.example).exists()
    assert (project / "NOTES.md").read_text() == "Decisions we made.\n"
    assert f"_commit: {newer.tag}" in (project / ".copier-answers.yml").read_text()
    assert git(project, "status", "--porcelain", "--", "README.md", PACKAGE + "/domain.py") == ""


@pytest.mark.parametrize("flavour", ["fastapi", "django"])
def test_a_queue_chosen_during_an_update_gets_a_worker_of_its_own(
    flavour: str, history: TemplateHistory, tmp_path: Path
) -> None:
    command = COPIERS["pinned"]
    case = FLAVOURS[flavour]
    project = tmp_path / "service"
    run_copier(command, tmp_path, "copy", *case.data, str(history.path), str(project))
    init_and_commit(project, "Rendered from the template")
    items_before = {path: path.read_text() for path in (project / PACKAGE / "items").rglob("*.py")}

    queue = ("--data=queue=celery", "--data=broker=redis")
    run_copier(command, tmp_path, "update", *queue, str(project))

    assert conflicts(project) == []
    # The machinery arrives. The worker's registry finds the tasks that the
    # packages define in their tasks.py, and none does yet: the example task
    # belongs to the items example, which is the user's and stays as it was.
    assert (project / PACKAGE / "tasks" / "registry.py").exists()
    assert list((project / PACKAGE).glob("*/tasks.py")) == []
    assert (project / PACKAGE / "worker.py").exists()
    assert (project / "tests" / "test_task_runs.py").exists()
    assert not (project / "tests" / "test_item_tasks.py").exists()
    items_after = {path: path.read_text() for path in (project / PACKAGE / "items").rglob("*.py")}
    assert items_after == items_before
    # Nothing the template migrates touches the user's tables.
    migrations = "".join(path.read_text() for path in project.rglob("template_versions/*.py"))
    migrations += "".join(path.read_text() for path in project.rglob("tasks/migrations/*.py"))
    assert "task_runs" in migrations and "items" not in migrations


@pytest.mark.parametrize("answers", list(GOLDEN.values()), ids=list(GOLDEN))
def test_floor_copier_renders_what_the_pinned_one_renders(
    answers: dict[str, object], template_snapshot: Path, tmp_path: Path
) -> None:
    # Multiselect answers as YAML flow lists, which is what --data parses.
    data = [
        f"--data={key}={value if isinstance(value, str) else json.dumps(value)}"
        for key, value in answers.items()
    ]
    at_floor = tmp_path / "floor"
    run_copier(COPIERS["floor"], tmp_path, "copy", *data, str(template_snapshot), str(at_floor))
    pinned = render(template_snapshot, tmp_path / "pinned", to_copier_data(answers))

    assert differences(tree(pinned), tree(at_floor)) == []
