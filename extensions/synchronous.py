"""The synchronous form of Python source written for asyncio.

The SQLAlchemy stack (the database and cache seams, the domain services and
the tests) is written once, for asyncio, and serves FastAPI and Litestar as
written. Flask's views are synchronous, so a WSGI render gets the same code
with the coroutine syntax taken out: ``async def`` becomes ``def``,
``async with``/``async for`` lose their ``async``, ``await`` goes,
``asyncio.run(f())`` is ``f()``, and the asyncio names become their
synchronous twins (SYNC_NAMES; ``from sqlalchemy.ext.asyncio import
AsyncSession`` is ``from sqlalchemy.orm import Session``,
``sqlalchemy.ext.asyncio.create_async_engine`` is ``sqlalchemy.create_engine``
and an async engine's ``.sync_engine`` the engine itself). The logic, the
comments and the layout stay as they are.

Imports whose twins live in other modules, or that the formatter would then
order differently, are spelled per interface in the file. Where the two forms
differ in more than spelling (a semaphore for threads, hashing off the event
loop), the file calls a module of each interface instead (``concurrency.py``).

The edits work on tokens, so strings and comments are never touched, and
they only ever shorten a line: source that the formatter leaves alone in its
asyncio form must also be left alone in its synchronous form. The render
tier checks that every render is formatted.
"""

from __future__ import annotations

import io
import tokenize

# Each asyncio name and the synchronous name that does the same.
SYNC_NAMES = {
    "AbstractAsyncContextManager": "AbstractContextManager",
    "AsyncEngine": "Engine",
    "AsyncExitStack": "ExitStack",
    "AsyncIterator": "Iterator",
    "AsyncSession": "Session",
    "AsyncClient": "Client",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "aclose": "close",
    "async_sessionmaker": "sessionmaker",
    "asynccontextmanager": "contextmanager",
    "create_async_engine": "create_engine",
    "enter_async_context": "enter_context",
}
# The tokens after "sqlalchemy" in sqlalchemy.ext.asyncio.
SQLALCHEMY_ASYNCIO = [".", "ext", ".", "asyncio"]
# ``Awaitable[T]`` (what a coroutine function returns) becomes ``T``.
AWAITABLE = "Awaitable"


class SynchronousFormError(ValueError):
    """Source the synchronous form cannot be derived from."""


def synchronous(source: str) -> str:
    """``source`` (Python written for asyncio) in its synchronous form."""
    line_starts = [0]
    for line in source.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))

    def offset(position: tuple[int, int]) -> int:
        row, column = position
        return line_starts[row - 1] + column

    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    # (start, end, replacement) in character offsets, applied back to front.
    edits: list[tuple[int, int, str]] = []
    for index, token in enumerate(tokens):
        if token.type != tokenize.NAME:
            continue
        start, end = offset(token.start), offset(token.end)
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.string == "await" or (
            token.string == "async"
            and following is not None
            and following.string in {"def", "with", "for"}
        ):
            # The keyword and the one space after it.
            if source[end : end + 1] != " ":
                line = token.start[0]
                raise SynchronousFormError(f"line {line}: {token.string} without a space after it")
            edits.append((start, end + 1, ""))
        elif token.string == "sqlalchemy" and _strings(tokens, index + 1, 4) == SQLALCHEMY_ASYNCIO:
            after = tokens[index + 5].string if index + 5 < len(tokens) else ""
            # from sqlalchemy.ext.asyncio import AsyncSession: the session
            # (and its maker) come from sqlalchemy.orm; anything else is
            # sqlalchemy's own (sqlalchemy.ext.asyncio.create_async_engine).
            edits.append((end, offset(tokens[index + 4].end), ".orm" if after == "import" else ""))
        elif token.string == "sync_engine" and tokens[index - 1].string == ".":
            # An AsyncEngine's synchronous engine is the engine itself.
            edits.append((offset(tokens[index - 1].start), end, ""))
        elif token.string == "asyncio" and _strings(tokens, index + 1, 3) == [".", "run", "("]:
            # Running a coroutine to the end is calling the function.
            opening = index + 3
            closing = _matching_bracket(tokens, opening, "(", ")")
            edits.append((start, offset(tokens[opening].end), ""))
            closing_start = offset(closing.start)
            edits.append((closing_start, closing_start + 1, ""))
        elif token.string in SYNC_NAMES:
            edits.append((start, end, SYNC_NAMES[token.string]))
        elif token.string == AWAITABLE and following is not None and following.string == "[":
            closing = _matching_bracket(tokens, index + 1)
            edits.append((start, offset(following.end), ""))
            closing_start = offset(closing.start)
            edits.append((closing_start, closing_start + 1, ""))
    text = source
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _strings(tokens: list[tokenize.TokenInfo], start: int, count: int) -> list[str]:
    return [token.string for token in tokens[start : start + count]]


def _matching_bracket(
    tokens: list[tokenize.TokenInfo], opening: int, left: str = "[", right: str = "]"
) -> tokenize.TokenInfo:
    depth = 0
    for token in tokens[opening:]:
        if token.string == left:
            depth += 1
        elif token.string == right:
            depth -= 1
            if depth == 0:
                return token
    raise SynchronousFormError(f"{left} without its closing {right}")
