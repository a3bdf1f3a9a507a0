"""The template repository's own code meets the bar it sets for rendered projects."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.combinations import TEMPLATE_ROOT

pytestmark = pytest.mark.render

# Python that belongs to the template itself (template/ is checked per render).
OWN_CODE = ["extensions", "tests", "benchmarks"]


@pytest.mark.parametrize(
    "command",
    [["ruff", "check", *OWN_CODE], ["ruff", "format", "--check", *OWN_CODE]],
    ids=["ruff-check", "ruff-format"],
)
def test_own_code_is_clean(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=TEMPLATE_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
