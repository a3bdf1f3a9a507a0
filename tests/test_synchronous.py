"""The synchronous form of the SQLAlchemy stack (extensions/synchronous.py).

The WSGI renders (Flask) get the shared asyncio code through this transform;
the project tier proves the result formatted, typed and working. These tests
pin down each rule, and that nothing outside the code changes.
"""

from __future__ import annotations

import ast

import pytest

from extensions.synchronous import SynchronousFormError, synchronous

pytestmark = pytest.mark.render


@pytest.mark.parametrize(
    ("written", "synchronous_form"),
    [
        ("async def f() -> None:\n    pass\n", "def f() -> None:\n    pass\n"),
        ("x = await session.scalar(query)\n", "x = session.scalar(query)\n"),
        ("async with a() as b:\n    pass\n", "with a() as b:\n    pass\n"),
        ("async for row in rows:\n    pass\n", "for row in rows:\n    pass\n"),
        ("await client.aclose()\n", "client.close()\n"),
        (
            "def f() -> AsyncIterator[AsyncSession]: ...\n",
            "def f() -> Iterator[Session]: ...\n",
        ),
        (
            "ping: Callable[[Any], Awaitable[None]]\n",
            "ping: Callable[[Any], None]\n",
        ),
        (
            "from sqlalchemy.ext.asyncio import AsyncSession\n",
            "from sqlalchemy.orm import Session\n",
        ),
        (
            "engine = sqlalchemy.ext.asyncio.create_async_engine(url)\n",
            "engine = sqlalchemy.create_engine(url)\n",
        ),
        (
            "event.listen(engine.sync_engine, 'connect', f)\n",
            "event.listen(engine, 'connect', f)\n",
        ),
        ("asyncio.run(main(a, (b, c)))\n", "main(a, (b, c))\n"),
    ],
)
def test_each_rule(written: str, synchronous_form: str) -> None:
    assert synchronous(written) == synchronous_form


def test_strings_and_comments_are_left_alone() -> None:
    written = 'text = "await the AsyncSession"  # async with, await, aclose\n'
    assert synchronous(written) == written


def test_synchronous_code_is_its_own_synchronous_form() -> None:
    written = (
        "async def handle(session: AsyncSession) -> None:\n"
        "    async with session.begin():\n"
        "        await session.execute(statement)\n"
    )
    once = synchronous(written)
    assert synchronous(once) == once
    ast.parse(once)


def test_an_await_the_rules_cannot_take_out_is_refused() -> None:
    # Taking out "await" and the space after it: with no space, the rule
    # would leave "(x)" where a call was meant; refused rather than guessed.
    with pytest.raises(SynchronousFormError, match="line 1: await"):
        synchronous("y = await(x)\n")
