"""Commands as the documentation writes them: fenced ```sh blocks in Markdown."""

from __future__ import annotations

import re

COMMENT = re.compile(r"\s+#\s.*$")


def marked_block(markdown: str, marker: str) -> str:
    """The ```sh block between ``<!-- marker -->`` and ``<!-- /marker -->``."""
    match = re.search(
        rf"<!-- {marker} -->\s*```sh\n(.+?)\n```\s*<!-- /{marker} -->", markdown, re.DOTALL
    )
    assert match, f"no {marker} block"
    return match.group(1).strip()


def shell_block(markdown: str, heading: str) -> list[str]:
    """The commands of the first ```sh block under ``heading``, one per line, comments cut."""
    section = markdown.split(f"\n{heading}\n", 1)
    assert len(section) == 2, f"no {heading!r} section"
    block = re.search(r"```sh\n(.+?)\n```", section[1], re.DOTALL)
    assert block, f"no sh block under {heading!r}"
    return commands(block.group(1))


def commands(text: str) -> list[str]:
    """Non-empty, non-comment lines of ``text`` with trailing comments cut."""
    lines = [COMMENT.sub("", line).strip() for line in text.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def sh_blocks(markdown: str) -> list[str]:
    """Every ```sh block of ``markdown``, continuation lines joined."""
    return [
        block.replace("\\\n", " ")
        for block in re.findall(r"```sh\n(.+?)\n```", markdown, re.DOTALL)
    ]
