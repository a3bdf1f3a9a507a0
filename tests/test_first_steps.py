"""The after-copy message and the rendered README give the same first steps, and they work.

For a server database (or Redis) the steps start its Compose service before
`migrate`, by the service's name in the rendered compose.yaml; every project
is put in Git with a first commit (updates need one) after `uv sync` has
written uv.lock, so the lock is in that commit.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import copier
import pytest
import yaml

from tests.combinations import to_copier_data
from tests.documented_commands import shell_block

pytestmark = pytest.mark.render

FIRST_COMMIT = 'git init && git add -A && git commit -m "Render from the template"'
COMPOSE_UP = re.compile(r"^docker compose up --detach --wait (?P<services>[\w -]+)$")

PROJECTS = {
    "default": {},
    "postgresql-redis": {"database": "postgresql", "cache": "redis"},
    "mysql": {"database": "mysql", "auth": "none"},
    "postgresql-no-compose": {"database": "postgresql", "deploy_targets": []},
}


def message_steps(stderr: str) -> list[str]:
    """The commands the after-copy message lists under "First steps", comments cut."""
    block = stderr.split("First steps", 1)[1].split("\n\n", 1)[0]
    lines = [re.sub(r"\s+#\s.*$", "", line).strip() for line in block.splitlines()[1:]]
    return [line for line in lines if line and not line.startswith("#")]


@pytest.mark.parametrize("answers", list(PROJECTS.values()), ids=list(PROJECTS))
def test_message_and_readme_give_the_same_first_steps(
    answers: dict[str, object],
    template_snapshot: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = tmp_path / "service"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the snapshot is not a Git repository
        copier.run_copy(
            str(template_snapshot),
            project,
            data=to_copier_data(answers),
            defaults=True,
            unsafe=True,
        )
    message = message_steps(capsys.readouterr().err)
    readme = shell_block((project / "README.md").read_text(encoding="utf-8"), "## Start")

    assert message == [f"cd {project}", *readme]
    assert readme[:2] == ["uv sync", FIRST_COMMIT]
    assert readme[-2:] == ["uv run acme-orders migrate", "uv run acme-orders serve"]
    started = [match["services"].split() for line in readme if (match := COMPOSE_UP.match(line))]
    needs_services = (
        answers.get("database", "sqlite") != "sqlite" or answers.get("cache") == "redis"
    )
    if needs_services and (project / "compose.yaml").exists():
        compose = yaml.safe_load((project / "compose.yaml").read_text(encoding="utf-8"))
        expected = {name for name in compose["services"] if name not in {"app", "migrate"}}
        assert {name for names in started for name in names} == expected
    else:
        assert started == []
