"""The README's set-up commands work verbatim.

CI runs the test command itself (.ci/run reads it from the README); the
render-and-run command is run here, from a copy of the template, until the
service it starts answers its liveness probe.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.project_runner import free_port
from tests.rendering import TEMPLATE_ROOT

README = TEMPLATE_ROOT / "README.md"


def readme_command(marker: str) -> str:
    match = re.search(
        rf"<!-- {marker} -->\s*```sh\n(.+?)\n```\s*<!-- /{marker} -->",
        README.read_text(encoding="utf-8"),
        re.DOTALL,
    )
    assert match, f"README.md has no {marker} block"
    return match.group(1).strip()


def test_ci_runs_the_readme_test_command() -> None:
    ci_script = (TEMPLATE_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in ci_script
    assert "pytest" in readme_command("test-command")


@pytest.mark.project
def test_render_command_starts_the_default_service(template_snapshot: Path) -> None:
    command = readme_command("render-command")
    port = free_port()
    # As on a fresh shell: not inside this suite's virtual environment (whose
    # python has no pip). PORT only moves the server off 8000, which another
    # process may hold.
    own_bin = str(Path(sys.executable).parent)
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if p != own_bin)
    env = {**os.environ, "PORT": str(port), "PATH": path}
    env.pop("VIRTUAL_ENV", None)
    log_path = template_snapshot.parent / "render-command.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            ["bash", "-euo", "pipefail", "-c", command],
            cwd=template_snapshot,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            assert _answers_live(port, process), log_path.read_text()
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(30)
    service = template_snapshot.parent / "acme-orders"
    assert (service / ".copier-answers.yml").is_file()


def _answers_live(port: int, process: subprocess.Popen[bytes], seconds: float = 300) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            response = httpx.get(f"http://127.0.0.1:{port}/health/live", timeout=1)
        except httpx.HTTPError:
            time.sleep(0.5)
            continue
        return response.status_code == 200
    return False
