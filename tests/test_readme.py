"""The READMEs' commands work verbatim, from a clone of the template to an updated project.

CI runs the test command itself (.ci/run reads it from the README). Here:

- the render-and-run command runs from a committed clone of the template, as
  a user's clone is, until the service it starts answers its liveness probe.
  On a machine with pyenv it runs in a pyenv of its own (pyenv_sandbox.py),
  as a new pyenv user's shell would: the global Python is not the project's,
  and the project's .python-version selects its own inside the project;
- then the rendered README's first steps and its update command run inside
  that project, after the template has changed;
- and the README's other render form, with the update command after it.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import yaml

from tests.combinations import COPIER_YML
from tests.documented_commands import commands, marked_block, sh_blocks, shell_block
from tests.gitrepo import GIT_IDENTITY, conflicts, git
from tests.project_runner import free_port
from tests.pyenv_sandbox import PyenvSandbox, machine_pyenv_root, pyenv_folders
from tests.releases import TemplateHistory
from tests.rendering import TEMPLATE_ROOT, RenderCache

README = TEMPLATE_ROOT / "README.md"
TEMPLATE_HEALTH = (
    "template/src/{% if framework == 'fastapi' %}{{package_name}}{% endif %}/health.py.jinja"
)

# The one documented form of each command (DESIGN.md section 1).
UPDATE_COMMAND = "uvx --with copier-template-extensions copier update --trust --defaults"
COPY_COMMAND = "uvx --with copier-template-extensions copier copy --trust"
# Options of `copier copy` that take a value as the next word.
VALUE_OPTIONS = {"--data", "-d", "--data-file", "--vcs-ref", "-r", "--answers-file", "-a"}


def readme_command(marker: str) -> str:
    return marked_block(README.read_text(encoding="utf-8"), marker)


def shell_env(**extra: str) -> dict[str, str]:
    """A fresh shell's environment, as a user types the READMEs' commands in.

    Not inside this suite's virtual environment (its python has no pip, and
    its variables must not reach the project), nor inside the Python that
    pyenv ran `uv run` with (see pyenv_folders).
    """
    left_out = {str(Path(sys.executable).parent)}
    machine_pyenv = machine_pyenv_root()
    if machine_pyenv is not None:
        left_out |= pyenv_folders(machine_pyenv)
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if p not in left_out)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "UV", "UV_RUN_RECURSION_DEPTH"}
    }
    env.update(GIT_IDENTITY, PATH=path, **extra)
    return env


def run_shell(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


@dataclass
class ReadmeRender:
    """What the README's render command left: the template clone, the project, its log."""

    clone: TemplateHistory
    project: Path
    log: str
    answered_live: bool
    # The shell the command ran in (with pyenv: the sandbox's).
    shell: dict[str, str]


@pytest.fixture(scope="module")
def readme_render(
    template_snapshot: Path, tmp_path_factory: pytest.TempPathFactory
) -> ReadmeRender:
    workspace = tmp_path_factory.mktemp("readme")
    clone = TemplateHistory.create(workspace / "backend-service-template", template_snapshot, [])
    port = free_port()
    # PORT only moves the server off 8000, which another process may hold.
    env = shell_env(PORT=str(port))
    # With pyenv: a user whose global Python is not the project's (3.13, the
    # default answer), and neither has uv yet.
    sandbox = PyenvSandbox.create(workspace / "pyenv", "3.11", "3.13")
    if sandbox is not None:
        env = sandbox.shell_env(env)
    log_path = workspace / "render-command.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            ["bash", "-euo", "pipefail", "-c", readme_command("render-command")],
            cwd=clone.path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            answered_live = _answers_live(port, process)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(30)
    return ReadmeRender(clone, workspace / "acme-orders", log_path.read_text(), answered_live, env)


def test_ci_runs_the_readme_test_command() -> None:
    ci_script = (TEMPLATE_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in ci_script
    assert "pytest" in readme_command("test-command")


def user_commands(rendered_readme: str) -> list[str]:
    """Every shell command a user is told to type, in any of the documents."""
    documents = [README, *sorted((TEMPLATE_ROOT / "docs").glob("*.md"))]
    texts = [path.read_text(encoding="utf-8") for path in documents] + [rendered_readme]
    found = [
        command.strip()
        for text in texts
        for block in sh_blocks(text)
        for line in commands(block)
        for command in line.split("&&")
    ]
    message = yaml.safe_load(COPIER_YML.read_text(encoding="utf-8"))["_message_after_copy"]
    return found + commands(message)


def copy_source(command: str) -> str:
    """The template argument of a `copier copy` command."""
    words = shlex.split(command.split("copier copy", 1)[1])
    positional = []
    for index, word in enumerate(words):
        if word.startswith("-"):
            continue
        if index and words[index - 1] in VALUE_OPTIONS:
            continue
        positional.append(word)
    return positional[0]


@pytest.mark.render
def test_documents_give_one_update_command_and_renders_it_can_follow(
    rendered: RenderCache,
) -> None:
    readme = (rendered({}) / "README.md").read_text(encoding="utf-8")
    everything = user_commands(readme)
    updates = [command for command in everything if "copier update" in command]
    # The developer's pinned Copier (`uv run copier`) renders throwaway looks.
    copies = [command for command in everything if "copier copy" in command]
    copies = [command for command in copies if not command.startswith("uv run")]

    assert updates, "no document gives the update command"
    assert set(updates) == {UPDATE_COMMAND}
    assert copies
    for command in copies:
        assert command.startswith(COPY_COMMAND), command
        # Copier records the source as given, and updates resolve it again.
        source = copy_source(command)
        assert source.startswith(("$PWD", "/", "<", "https://", "gh:", "git@")), command


@pytest.mark.project
def test_render_command_starts_the_default_service(readme_render: ReadmeRender) -> None:
    assert readme_render.answered_live, readme_render.log
    answers = yaml.safe_load((readme_render.project / ".copier-answers.yml").read_text())
    # Recorded as an absolute path, so that updates find the template again.
    assert answers["_src_path"] == str(readme_render.clone.path)


@pytest.mark.project
def test_rendered_readme_first_steps_then_its_update_command(readme_render: ReadmeRender) -> None:
    project = readme_render.project
    assert readme_render.answered_live, readme_render.log
    readme = (project / "README.md").read_text(encoding="utf-8")
    # Every first step but the server, which the render command ran already.
    steps = [line for line in shell_block(readme, "## Start") if not line.endswith(" serve")]
    done = run_shell("\n".join(steps), project, readme_render.shell)
    assert done.returncode == 0, done.stdout + done.stderr
    assert git(project, "status", "--porcelain") == ""
    assert git(project, "ls-files", "uv.lock").strip() == "uv.lock"

    # The template improves a file the project gets from it.
    health = readme_render.clone.path / TEMPLATE_HEALTH
    health.write_text(
        health.read_text().replace("PING_TIMEOUT_SECONDS = 2.0", "PING_TIMEOUT_SECONDS = 3.0")
    )
    newer = readme_render.clone.commit_change("The template improves")
    (update,) = shell_block(readme, "## Update from the template")
    updated = run_shell(update, project, readme_render.shell)

    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert conflicts(project) == []
    assert "PING_TIMEOUT_SECONDS = 3.0" in (project / "src/acme_orders/health.py").read_text()
    assert f"_commit: {newer.tag}" in (project / ".copier-answers.yml").read_text()


@pytest.mark.project
def test_usage_commands_render_and_update(template_snapshot: Path, tmp_path: Path) -> None:
    clone = TemplateHistory.create(tmp_path / "template", template_snapshot, [])
    # Each command on one line; the interactive form is driven in a terminal
    # by test_interactive.py.
    usage = readme_command("usage-commands").replace("\\\n", " ")
    script = [
        line.replace("<this-repository>", str(clone.path))
        for line in commands(usage)
        if "copier copy" not in line or "--defaults" in line
    ]
    # uv as CI finds it (with pyenv: every version visible); the pyenv user's
    # first steps are the render command's test.
    env = shell_env()

    result = run_shell("\n".join(script), tmp_path, env)

    assert result.returncode == 0, result.stdout + result.stderr
    project = tmp_path / "my-service"
    assert conflicts(project) == []
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["database"] == "postgresql" and answers["cache"] == "redis"
    assert answers["_src_path"] == str(clone.path)


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
