"""The golden renders in tests/golden match what the template renders now."""

from __future__ import annotations

import pytest

from tests.golden import GOLDEN, GOLDEN_ROOT, differences, tree
from tests.rendering import RenderCache

pytestmark = pytest.mark.render


@pytest.mark.parametrize("name", list(GOLDEN))
def test_golden_render_is_current(rendered_offering_everything: RenderCache, name: str) -> None:
    render = rendered_offering_everything(GOLDEN[name])
    problems = differences(tree(GOLDEN_ROOT / name), tree(render))

    assert not problems, (
        "\n".join(problems) + "\nrefresh with `uv run python -m tests.golden` and review the diff"
    )


def test_golden_gate_notices_a_stale_file() -> None:
    golden = tree(GOLDEN_ROOT / "default")
    stale = {**golden, "README.md": golden["README.md"] + b"\nedited\n"}

    assert differences(golden, stale) == ["differs: README.md"]
