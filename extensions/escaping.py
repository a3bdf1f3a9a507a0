"""Escaping filters: free-text answers written into TOML, Python, YAML and Markdown.

Answers such as ``project_name`` and ``description`` are human text: quotes,
backslashes (``C:\\temp``), ``{{``, accents. Every template that writes one
passes it through the filter of the file's syntax, which returns a complete
value (quotes included) that reads back as exactly the answer. The output is
also already in the layout the rendered project's formatter wants, so a
render stays clean whatever the answer.

Copier never renders an answer as a template, so ``{{`` in an answer reaches
the file as typed and needs no escaping of its own.
"""

from __future__ import annotations

import re
import unicodedata

# Characters no file should hold raw: control characters and the Unicode line
# and paragraph separators (YAML and some editors read the latter as newlines).
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})


def is_unsafe(char: str) -> bool:
    return unicodedata.category(char) in _UNSAFE_CATEGORIES or char == "\ufeff"


def unsafe_characters(text: str) -> list[str]:
    """The control characters and line breaks in ``text``, e.g. ["\\n"]."""
    return [char for char in dict.fromkeys(str(text)) if is_unsafe(char)]


def _unicode_escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


# TOML ------------------------------------------------------------------------

_TOML_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def toml_string(text: str) -> str:
    """A TOML basic string, quotes included: ``Say "hi"`` -> ``"Say \\"hi\\""``."""
    body = "".join(
        _TOML_ESCAPES.get(char) or (_unicode_escape(char) if is_unsafe(char) else char)
        for char in str(text)
    )
    return f'"{body}"'


# Python ----------------------------------------------------------------------

_PYTHON_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
# Black and ruff write a wrapped argument one indentation level deeper.
_INDENT_STEP = 4


def display_width(text: str) -> int:
    """Columns ``text`` takes, as black and ruff measure line length (wide chars count 2)."""
    if text.isascii():
        return len(text)
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in {"W", "F"} else 1
    return width


def python_literal(text: str) -> str:
    """One Python string literal for ``text``, with the quotes black and ruff prefer.

    Both formatters use double quotes unless the text holds more double than
    single quotes; either way they keep the literal that needs fewer escapes.
    """
    text = str(text)
    quote = "'" if text.count('"') > text.count("'") else '"'
    body = []
    for char in text:
        if char in _PYTHON_ESCAPES:
            body.append(_PYTHON_ESCAPES[char])
        elif char == quote:
            body.append("\\" + char)
        elif is_unsafe(char):
            body.append(f"\\x{ord(char):02x}" if ord(char) < 0x100 else _unicode_escape(char))
        else:
            body.append(char)
    return quote + "".join(body) + quote


def python_string(
    text: str, indent: int = 0, prefix: str = "", suffix: str = "", width: int = 88
) -> str:
    """``text`` as a Python expression, laid out the way black and ruff format it.

    The expression goes on a line of ``indent`` spaces, then ``prefix``, the
    expression and ``suffix`` (e.g. ``prefix="title="`` and ``suffix=","``
    for a keyword argument). If that line would be wider than ``width``, the
    text is split at spaces into literals on lines of their own, inside
    parentheses: both formatters keep such a split, and join one that fits,
    so the choice of layout is theirs exactly. Not for docstrings, which the
    formatters rewrite by rules of their own.
    """
    text = str(text)
    single = python_literal(text)
    if indent + display_width(prefix + single + suffix) <= width:
        return single
    inner = " " * (indent + _INDENT_STEP)
    lines = [inner + python_literal(piece) for piece in _pieces(text, width - len(inner))]
    return "(\n" + "\n".join(lines) + "\n" + " " * indent + ")"


def _pieces(text: str, room: int) -> list[str]:
    """``text`` cut into pieces whose literals fit in ``room`` columns, at spaces if possible."""
    pieces: list[str] = []
    current = ""
    for word in re.findall(r"\S+\s*|\s+", text):
        if display_width(python_literal(current + word)) <= room:
            current += word
            continue
        if current:
            pieces.append(current)
        current = ""
        for char in word:  # a word too long for a line is cut anywhere
            if current and display_width(python_literal(current + char)) > room:
                pieces.append(current)
                current = ""
            current += char
    if current or not pieces:
        pieces.append(current)
    return pieces


# YAML ------------------------------------------------------------------------

_YAML_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _yaml_printable(char: str) -> bool:
    # YAML 1.1/1.2 printable set; anything else must be escaped.
    code = ord(char)
    return (
        0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    ) and not is_unsafe(char)


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar: ``yes``, ``- a: b`` or ``#x`` stay plain strings."""
    body = "".join(
        _YAML_ESCAPES.get(char) or (char if _yaml_printable(char) else _unicode_escape(char))
        for char in str(text)
    )
    return f'"{body}"'


# Markdown --------------------------------------------------------------------

# Characters that start inline markup anywhere on a line (code spans,
# emphasis, links and images, raw HTML and autolinks, strikethrough) or close
# an ATX heading ("# Name #"). CommonMark lets a backslash escape any ASCII
# punctuation, so escaping these never changes the text.
_MARKDOWN_INLINE = frozenset("\\`*_[]<#~")
# An HTML entity or character reference: `&amp;` would render as `&`.
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# Block markers at the start of a line: quote, list items, ordered lists
# ("1." or "1)"), setext underlines and thematic breaks ("===", "---", "+++").
_BLOCK_START = re.compile(r"^(?:([>+=-])|(\d{1,9})([.)]))")


def markdown_text(text: str) -> str:
    """``text`` as Markdown that renders as exactly that text, inline.

    Safe on a heading line (``# {{ name | markdown_text }}``) and as a
    paragraph of its own. Surrounding spaces are dropped: Markdown ignores
    them, and four leading spaces would make a code block. A line break
    becomes a space, as inside a Markdown paragraph.
    """
    text = str(text).strip()
    escaped = "".join("\\" + char if char in _MARKDOWN_INLINE else char for char in text)
    escaped = _ENTITY.sub(r"\\&", escaped)
    escaped = "".join(char if not is_unsafe(char) else " " for char in escaped)
    return _BLOCK_START.sub(_escape_block_start, escaped, count=1)


def _escape_block_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


FILTERS = {
    "toml_string": toml_string,
    "python_string": python_string,
    "yaml_string": yaml_string,
    "markdown_text": markdown_text,
}
