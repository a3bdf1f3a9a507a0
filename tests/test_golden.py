"""The golden renders in tests/golden match what the template renders now."""

from __future__ import annotations

import pytest

from tests.golden import CANONICAL, GOLDEN_ROOT, differences, tree
from tests.rendering import RenderCache

pytestmark = pytest.mark.render


@pytest.mark.parametrize("name", list(CANONICAL))
def test_golden_render_is_current(rendered: RenderCache, name: str) -> None:
    problems = differences(tree(GOLDEN_ROOT / name), tree(rendered(CANONICAL[name])))

    assert not problems, (
        "\n".join(problems) + "\nrefresh with `uv run python -m tests.golden` and review the diff"
    )


def test_golden_gate_notices_a_stale_file() -> None:
    golden = tree(GOLDEN_ROOT / "default")
    stale = {**golden, "README.md": golden["README.md"] + b"\nedited\n"}

    assert differences(golden, stale) == ["differs: README.md"]
