"""Run the command-line checkers (ruff, hadolint, zizmor, ...) of the dev environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

# The test run's own environment holds the pinned tools; the venv may not be on PATH
# (e.g. `.venv/bin/pytest`), so look beside the interpreter first.
_SCRIPTS = Path(sys.executable).parent


def find(tool: str) -> str:
    """The path of ``tool``; a missing tool is an error, never a silent skip."""
    candidate = _SCRIPTS / tool
    if candidate.is_file():
        return str(candidate)
    found = shutil.which(tool)
    if found is None:
        raise FileNotFoundError(
            f"{tool} is not installed: run `uv sync` in the template repository"
        )
    return found


# Tools whose pinned dependencies clash with the test environment's (checkov
# holds packaging below 24, which pytest 9 needs): uv runs each in an
# environment of its own, cached after the first run.
ISOLATED_TOOLS = {"checkov": "checkov==3.3.30"}


def command(tool: str) -> list[str]:
    """The command line that starts ``tool``."""
    if tool in ISOLATED_TOOLS:
        return [find("uv"), "tool", "run", "--quiet", "--from", ISOLATED_TOOLS[tool], tool]
    return [find(tool)]


def run(tool: str, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``tool`` in ``cwd``, capturing its text output, without colours."""
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "PATH": f"{_SCRIPTS}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    return subprocess.run(
        [*command(tool), *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def output_of(result: subprocess.CompletedProcess[str]) -> str:
    """stdout and stderr of a finished tool, for a problem report."""
    return "\n".join(part.strip() for part in (result.stdout, result.stderr) if part.strip())
