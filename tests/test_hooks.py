"""The update migration that moves imports in the user's files rewrites those
imports exactly, and nothing else. The update tests (test_release_updates.py)
run it for real on projects rendered from each release."""

from __future__ import annotations

import textwrap

from hooks.move_web_imports import moves_for, rewrite

MOVES = moves_for("shop")


def _rewritten(source: str) -> str:
    return rewrite(textwrap.dedent(source), MOVES)


def test_a_moved_name_is_imported_from_its_new_module() -> None:
    assert _rewritten("from shop.db import Session\n") == "from shop.dependencies import Session\n"


def test_names_that_stay_keep_their_import() -> None:
    source = """\
        from shop.db import (
            Base,
            create_engine,
            get_session as session_dependency,
        )
        x = 1
    """
    assert _rewritten(source) == textwrap.dedent("""\
        from shop.db import Base, create_engine
        from shop.dependencies import get_session as session_dependency
        x = 1
    """)


def test_each_old_module_maps_to_its_own_new_one() -> None:
    source = "from shop.auth import CurrentUser\nfrom shop.db import Session\n"
    assert rewrite(source, MOVES) == (
        "from shop.auth.dependencies import CurrentUser\nfrom shop.dependencies import Session\n"
    )


def test_indented_imports_keep_their_indentation() -> None:
    source = "def f():\n    from shop.db import get_session\n    return get_session\n"
    assert _rewritten(source) == (
        "def f():\n    from shop.dependencies import get_session\n    return get_session\n"
    )


def test_other_code_is_left_alone() -> None:
    untouched = [
        "from shop.db import Base\n",
        "from shop.auth.security import hash_password\n",
        "from .db import Session\n",  # relative: left for the user (mypy names it)
        "from other.db import Session\n",
        "x = 1; from shop.db import Session\n",
    ]
    for source in untouched:
        assert rewrite(source, MOVES) == source


def test_the_asgi_middleware_and_the_outage_log_moves_are_followed() -> None:
    source = (
        "from shop.middleware import BrowserOnlyCORSMiddleware, RequestContextMiddleware\n"
        "from shop.resources import outage_of, report_outage\n"
    )
    assert rewrite(source, moves_for("shop")) == (
        "from shop.middleware import BrowserOnlyCORSMiddleware\n"
        "from shop.asgi_middleware import RequestContextMiddleware\n"
        "from shop.resources import outage_of\n"
        "from shop.outage_log import report_outage\n"
    )
