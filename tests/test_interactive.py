"""The questions work interactively: in a terminal, as a user answers them.

Copier's prompts redraw the screen with cursor movements, so the test reads
what a user would see through a terminal emulator (pyte) rather than the raw
byte stream.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pexpect
import pyte
import pytest
import yaml

pytestmark = pytest.mark.render

COLUMNS, LINES = 160, 40


class Terminal:
    """A copier process in a pseudo-terminal, and the screen a user would see."""

    def __init__(self, args: list[str]) -> None:
        copier = str(Path(sys.executable).with_name("copier"))
        env = {**os.environ, "TERM": "xterm", "COLUMNS": str(COLUMNS), "LINES": str(LINES)}
        self.child = pexpect.spawn(
            copier, args, encoding="utf-8", dimensions=(LINES, COLUMNS), env=env
        )
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.Stream(self.screen)

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, words: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while words not in self.text():
            if time.monotonic() > deadline:
                raise AssertionError(f"{words!r} never appeared:\n{self.text()}")
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.2))
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                if words not in self.text():
                    raise AssertionError(f"exited before {words!r}:\n{self.text()}") from None

    def answer(self, text: str) -> None:
        """Replace the pre-filled default with ``text`` and press Enter."""
        self.child.sendcontrol("u")
        self.child.send(text + "\r")

    def finish(self, seconds: float = 120) -> int:
        """Accept every remaining default; return copier's exit status."""
        deadline = time.monotonic() + seconds
        while self.child.isalive() and time.monotonic() < deadline:
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.5))
            except pexpect.TIMEOUT:
                self.child.send("\r")
            except pexpect.EOF:
                break
        self.child.close()
        return self.child.exitstatus


def test_questions_are_asked_with_help_and_bad_answers_re_asked(
    template_snapshot: Path, tmp_path: Path
) -> None:
    destination = tmp_path / "billing"
    terminal = Terminal(["copy", "--trust", str(template_snapshot), str(destination)])

    terminal.wait_for("Human name of the service")
    terminal.answer("Billing API")
    terminal.wait_for("Distribution and repository name")
    terminal.answer("billing-api")
    terminal.wait_for("Python import name")
    terminal.answer("class")
    terminal.wait_for("is a Python keyword")
    terminal.answer("billing")
    terminal.wait_for("One sentence saying what the service does")

    assert terminal.finish() == 0, terminal.text()
    answers = yaml.safe_load((destination / ".copier-answers.yml").read_text())
    assert answers["project_name"] == "Billing API"
    assert answers["package_name"] == "billing"
    assert (destination / "src" / "billing" / "main.py").is_file()
