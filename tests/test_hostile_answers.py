"""Render tier: free-text answers with quotes, backslashes, Jinja and accents render valid files.

Each file the answers reach must still parse, hold the answer exactly (read
back through its own syntax), and stay formatted and lint-clean; the README
keeps its heading structure.
"""

from __future__ import annotations

import ast
import tomllib
from itertools import pairwise
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests import gates
from tests.combinations import default_answers
from tests.rendering import RenderCache

pytestmark = pytest.mark.render

# Reasonable human input that a naive template turns into broken files: double
# quotes, a Windows path (`\t` is not a tab), Jinja markup (Copier must not
# render it), accents, and words that YAML or Markdown read as syntax. The
# slug and package name are given, so that only the free text varies.
HOSTILE = {
    "quotes-and-markup": {
        "project_slug": "q-service",
        "package_name": "q_service",
        "project_name": 'The "Q" Service: Zoë\'s #1 {{ x }}',
        "description": (
            '- yes: say "hi" from C:\\temp\\new {{ x }} {% raw %} *not em* <b>&amp; # no comment'
        ),
        "author_name": 'O\'Brien "JD" \\ Zoë {% endraw %}',
        "author_email": "o'brien+{{x}}@example.com",
    },
    "long-lines-black-isort": {
        "code_style": "black-isort",
        "project_slug": "orders",
        "package_name": "orders",
        "project_name": '1. 東京 Orders — Café Zoë\'s "Quoted" Fulfilment Service',
        "description": (
            '# Takes orders "as typed", bills them from C:\\billing\\new and ships them; '
            "{% if x %} is kept, ~~not struck~~, `not code`, [not a link](x) and "
            "> not a quote."
        ),
        "author_name": "null",
        "author_email": "yes@example.com",
    },
    "yaml-words": {
        "ci": "none",
        "project_slug": "no",
        "package_name": "off",
        "project_name": "yes",
        "description": "~",
        "author_name": "- a: b",
        "author_email": "no@example.com",
    },
}
FREE_TEXT = sorted(gates.FREE_TEXT_ANSWERS)
NAMES = ["project_slug", "package_name"]


@pytest.fixture(params=list(HOSTILE), ids=list(HOSTILE))
def case(request: pytest.FixtureRequest) -> dict[str, str]:
    return {**default_answers(), **HOSTILE[request.param]}


@pytest.fixture
def project(rendered: RenderCache, case: dict[str, str]) -> Path:
    return rendered(case)


@pytest.fixture
def baseline(rendered: RenderCache, case: dict[str, str]) -> Path:
    """The same answers with the free-text questions at their defaults."""
    return rendered({key: value for key, value in case.items() if key not in FREE_TEXT + NAMES})


def test_every_toml_yaml_and_python_file_parses(project: Path) -> None:
    problems = gates.toml_files(project) + gates.yaml_files(project)
    for path in gates.files_matching(project, ".py"):
        try:
            ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        except SyntaxError as error:
            problems.append(f"{path.relative_to(project)}:{error.lineno}: {error.msg}")

    assert not problems, "\n".join(problems)


def test_pyproject_holds_the_answers(project: Path, case: dict[str, str]) -> None:
    metadata = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    assert metadata["description"] == case["description"]
    assert metadata["authors"] == [{"name": case["author_name"], "email": case["author_email"]}]


def test_openapi_title_and_description_are_the_answers(project: Path, case: dict[str, str]) -> None:
    main = project / "src" / str(gates.answers(project)["package_name"]) / "main.py"
    arguments = {
        keyword.arg: keyword.value
        for node in ast.walk(ast.parse(main.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "FastAPI"
        for keyword in node.keywords
    }

    assert ast.literal_eval(arguments["title"]) == case["project_name"]
    assert ast.literal_eval(arguments["description"]) == case["description"]


def test_answers_file_records_the_answers(project: Path, case: dict[str, str]) -> None:
    recorded = gates.answers(project)

    assert {key: recorded[key] for key in FREE_TEXT} == {key: case[key] for key in FREE_TEXT}


def _blocks(readme: Path) -> list[tuple[str, str]]:
    """(tag, inline source) of every heading and paragraph of a README, in order."""
    tokens = MarkdownIt("commonmark").parse(readme.read_text(encoding="utf-8"))
    return [
        (opening.tag, inline.content)
        for opening, inline in pairwise(tokens)
        if opening.type in {"heading_open", "paragraph_open"} and inline.type == "inline"
    ]


def _shown_text(inline_source: str) -> str:
    """The text a Markdown inline source shows; it must hold no markup."""
    children = MarkdownIt("commonmark").parseInline(inline_source)[0].children or []
    markup = [child.type for child in children if child.type != "text"]
    assert not markup, f"{inline_source!r} renders as markup: {markup}"
    return "".join(child.content for child in children)


def test_readme_shows_the_answers_as_text(
    project: Path, baseline: Path, case: dict[str, str]
) -> None:
    blocks, expected = _blocks(project / "README.md"), _blocks(baseline / "README.md")

    # The title heading and the description paragraph show the answers as typed...
    assert [tag for tag, _ in blocks[:2]] == ["h1", "p"]
    assert _shown_text(blocks[0][1]) == case["project_name"].strip()
    assert _shown_text(blocks[1][1]) == case["description"].strip()
    # ...and the rest keeps the structure and headings the default answers give.
    assert [tag for tag, _ in blocks] == [tag for tag, _ in expected]
    headings = [block for block in blocks[1:] if block[0].startswith("h")]
    assert headings == [block for block in expected[1:] if block[0].startswith("h")]


# The formatter and linters of each case's code style (no id for a check
# that does not apply).
CLEAN_CASES = [
    (name, gate)
    for name, answers in HOSTILE.items()
    for gate in ("formatting", "ruff", "flake8", "imports")
    if gate in gates.gates_for({**default_answers(), **answers})
]


@pytest.mark.parametrize(("name", "gate"), CLEAN_CASES, ids=[f"{n}-{g}" for n, g in CLEAN_CASES])
def test_render_stays_clean(rendered: RenderCache, name: str, gate: str) -> None:
    problems = gates.PROJECT_GATES[gate](rendered({**default_answers(), **HOSTILE[name]}))

    assert not problems, "\n".join(problems)
