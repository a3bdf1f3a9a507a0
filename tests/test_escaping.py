"""The escaping filters: every text reads back as itself in TOML, Python, YAML and Markdown.

The render tier (test_hostile_answers.py) checks the same through whole
renders; these tests try many more texts, and the layout of long Python
strings against both formatters a project may use.
"""

from __future__ import annotations

import ast
import tomllib
from itertools import pairwise
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from extensions.escaping import (
    display_width,
    markdown_text,
    python_string,
    toml_string,
    unsafe_characters,
    yaml_string,
)
from tests import tools

# Texts a person may type, and some that only a hostile or careless one would.
HOSTILE_TEXTS = [
    "Acme Orders",
    'The "Q" Service',
    "Zoë's Café",
    "C:\\temp\\new",
    "ends with a backslash \\",
    'ends with a quote "',
    '\'single\' and "double" and """triple"""',
    "{{ x }} {% raw %} {# note #} {% endraw %}",
    "# not a heading",
    "C# service #",
    "- not a list",
    "+ not a list",
    "* not a list",
    "1. not a list",
    "2) not a list",
    "> not a quote",
    "---",
    "===",
    "~~~",
    "```",
    "*not emphasis* _nor this_ `nor code` ~~nor struck~~",
    "[not a link](https://example.com) ![nor an image](x.png)",
    "<b>not html</b> <https://example.com> &amp; &#169; AT&T",
    "a: b",
    "key: value # not a comment",
    "yes",
    "null",
    "~",
    "1.0",
    "0o17",
    "@mention !important %s {} {0} $HOME ${x}",
    "a | b | c",
    "    four leading spaces",
    "  surrounding spaces  ",
    "東京 サービス 🚀",
    "ﬁ ligature, e\u0301 combining, \u00a0no-break",
    "\u200b zero width",
]
# Characters the answers' validators refuse; the filters still escape them.
CONTROL_TEXTS = ["tab\there", "line\nbreak", "bell\a", "nul\0", "sep\u2028arator", "bom\ufeff"]


@pytest.mark.parametrize("text", HOSTILE_TEXTS + CONTROL_TEXTS)
def test_toml_string_reads_back(text: str) -> None:
    value = toml_string(text)

    assert tomllib.loads(f"key = {value}\n")["key"] == text
    assert "\n" not in value


@pytest.mark.parametrize("text", HOSTILE_TEXTS + CONTROL_TEXTS)
def test_python_string_reads_back(text: str) -> None:
    value = python_string(text)

    assert ast.literal_eval(value) == text
    assert not unsafe_characters(value)


@pytest.mark.parametrize("text", HOSTILE_TEXTS + CONTROL_TEXTS)
def test_yaml_string_reads_back(text: str) -> None:
    value = yaml_string(text)

    assert yaml.safe_load(f"key: {value}\n") == {"key": text}
    assert yaml.safe_load(f"- {value}\n") == [text]
    assert not unsafe_characters(value)


def _markdown_blocks(source: str) -> list[tuple[str, str]]:
    """(block tag, plain text) of each block; raises on any inline markup."""
    blocks = []
    tokens = MarkdownIt("commonmark").parse(source)
    for opening, inline in pairwise(tokens):
        if opening.nesting != 1 or inline.type != "inline":
            continue
        children = inline.children or []
        markup = [child.type for child in children if child.type != "text"]
        assert not markup, f"{inline.content!r} renders as markup: {markup}"
        blocks.append((opening.tag, "".join(child.content for child in children)))
    return blocks


@pytest.mark.parametrize("text", HOSTILE_TEXTS + CONTROL_TEXTS)
def test_markdown_text_renders_as_the_text(text: str) -> None:
    value = markdown_text(text)
    # Markdown shows no surrounding spaces, and a line break inside a paragraph as a space.
    shown = "".join(" " if unsafe_characters(char) else char for char in text).strip()

    assert _markdown_blocks(f"# {value}\n\n{value}\n\n## Next\n") == [
        ("h1", shown),
        ("p", shown),
        ("h2", "Next"),
    ]


def test_plain_text_stays_readable() -> None:
    # Escaping only where markup could start keeps the README and code legible.
    assert markdown_text("A production-ready backend service.") == (
        "A production-ready backend service."
    )
    assert markdown_text("Zoë's (new) API, v2.0!") == "Zoë's (new) API, v2.0!"
    assert python_string("Acme Orders") == '"Acme Orders"'
    assert python_string('The "Q" Service') == "'The \"Q\" Service'"
    assert toml_string("Café") == '"Café"'


def test_wide_characters_count_twice() -> None:
    assert display_width("Acme") == 4
    assert display_width("東京") == 4
    assert display_width("e\u0301") == 1


# Long Python strings: laid out as black and ruff would, so a render stays formatted.

LAYOUT_TEXTS = [
    *HOSTILE_TEXTS,
    "A production-ready backend service that takes orders, bills them and ships them.",
    "word " * 40,
    "x" * 150,
    "\\" * 70,
    '"' * 50 + "'" * 49,
    "東京 " * 30,
    "A sentence that fits on one line at the start but not after the keyword.",
]
# A keyword argument in a call, as in the rendered main.py, plus an assignment.
CALL = """\
def create_app() -> object:
    return dict(
        description={value},
        version="0.1.0",
    )
"""
ASSIGNMENT = "TITLE = {value}\n"


def _module(texts: list[str]) -> str:
    parts = ['"""Layouts."""\n']
    for text in texts:
        parts.append(
            CALL.format(value=python_string(text, indent=8, prefix="description=", suffix=","))
        )
        parts.append(ASSIGNMENT.format(value=python_string(text, prefix="TITLE = ")))
    return "\n\n".join(parts)


def test_long_python_strings_are_laid_out_as_the_formatters_want(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.ruff]\nline-length = 88\n[tool.black]\nline-length = 88\n", encoding="utf-8"
    )
    module = tmp_path / "layouts.py"
    module.write_text(_module(LAYOUT_TEXTS), encoding="utf-8")

    for tool, *args in (
        ("ruff", "format", "--no-cache", "--check", "--diff", "."),
        ("black", "--check", "--diff", "."),
        ("ruff", "check", "--no-cache", "--select", "E501", "."),
        ("flake8", "--max-line-length", "88", "--select", "E501", "."),
    ):
        result = tools.run(tool, *args, cwd=tmp_path)
        assert result.returncode == 0, f"{tool} {args[0]}:\n{tools.output_of(result)}"

    tree = ast.parse(module.read_text(encoding="utf-8"))
    values = [
        ast.literal_eval(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.keyword) and node.arg == "description"
    ]
    assert values == LAYOUT_TEXTS
    # The check means something only if long texts were split over lines.
    assert module.read_text(encoding="utf-8").count("description=(\n") >= 5
