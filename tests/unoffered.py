"""Choices under construction, which copier.yml does not offer yet.

A choice is offered only once everything it promises works (DESIGN.md
section 2). Until then its files live in the template and its tests render
it from a snapshot of the template whose copier.yml offers it: the snapshot
is the only place the choice exists, and `copier copy` from the repository
refuses it like any unknown value.

    uv run python -m tests.unoffered /tmp/template-with-django   # for a render by hand
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.rendering import snapshot_template

# question -> (the line of the last offered choice, the lines to add after it)
UNOFFERED: dict[str, tuple[str, str]] = {}


def offering(copier_yml_text: str) -> str:
    """``copier_yml_text`` with every choice under construction offered."""
    text = copier_yml_text
    for question, (after, added) in UNOFFERED.items():
        if added in text:
            continue
        if after not in text:
            raise ValueError(f"copier.yml: {question}: no line {after.strip()!r} to add after")
        text = text.replace(after, after + added, 1)
    return text


def offer_unoffered(template: Path) -> Path:
    """Add every choice under construction to the copier.yml of ``template``."""
    copier_yml = template / "copier.yml"
    copier_yml.write_text(offering(copier_yml.read_text(encoding="utf-8")), encoding="utf-8")
    return template


def snapshot_offering_everything(destination: Path) -> Path:
    return offer_unoffered(snapshot_template(destination))


if __name__ == "__main__":
    print(snapshot_offering_everything(Path(sys.argv[1])))
