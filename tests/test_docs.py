"""The documentation site builds without warnings and covers every question."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.combinations import COPIER_YML, TEMPLATE_ROOT

pytestmark = pytest.mark.render

OPTIONS_PAGE = TEMPLATE_ROOT / "docs" / "options.md"


def test_docs_build_strictly(tmp_path: Path) -> None:
    # --strict turns every warning (broken link or anchor, page left out of
    # the nav) into a failure.
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(tmp_path)],
        cwd=TEMPLATE_ROOT,
        # Material's end-of-life banner is not about this site.
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )

    assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
    assert (tmp_path / "index.html").is_file()


def test_every_question_is_documented() -> None:
    questions = yaml.safe_load(COPIER_YML.read_text(encoding="utf-8"))
    page = OPTIONS_PAGE.read_text(encoding="utf-8")
    # Mentioned as code (`key`), so a key that is also a common word ("cache")
    # is not found by accident in the prose.
    documented = set(re.findall(r"`([a-z_][a-z0-9_]*)`", page))

    missing = [key for key in questions if not key.startswith("_") and key not in documented]

    assert not missing, f"docs/options.md does not mention: {', '.join(missing)}"
