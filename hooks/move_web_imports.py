"""Update to 0.2.0: point the user's imports at the names' new modules.

From 0.2.0 the framework-free seams import no web framework, so the FastAPI
dependencies they used to hold moved to the web layer: ``Session`` and
``get_session`` from ``<package>.db`` to ``<package>.dependencies``, and
``CurrentUser`` from ``<package>.auth`` to ``<package>.auth.dependencies``.
The middleware every ASGI framework shares moved from ``<package>.middleware``
to ``<package>.asgi_middleware``, and ``report_outage`` from
``<package>.resources`` to ``<package>.outage_log``.
The files the user owns (items/, domain.py, tests/test_items.py, and their
own modules) are never rewritten by an update, so this migration rewrites
just those import statements in them, and reports each file it changed.

Usage: move_web_imports.py <package_name>   (run in the project directory)

Runs under Copier's own Python: standard library only.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

# (old module, name) -> new module, for "<package>" substituted.
MOVED = {
    ("{package}.db", "Session"): "{package}.dependencies",
    ("{package}.db", "get_session"): "{package}.dependencies",
    ("{package}.auth", "CurrentUser"): "{package}.auth.dependencies",
    # What every ASGI framework's service shares, and the outage log line.
    ("{package}.middleware", "RequestContextMiddleware"): "{package}.asgi_middleware",
    ("{package}.middleware", "BodyLimitMiddleware"): "{package}.asgi_middleware",
    ("{package}.middleware", "send_json"): "{package}.asgi_middleware",
    ("{package}.resources", "report_outage"): "{package}.outage_log",
}


def moves_for(package: str) -> dict[tuple[str, str], str]:
    return {
        (module.format(package=package), name): target.format(package=package)
        for (module, name), target in MOVED.items()
    }


def _spelled(alias: ast.alias) -> str:
    return alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"


def rewrite(source: str, moves: dict[tuple[str, str], str]) -> str:
    """``source`` with every import of a moved name taken from its new module."""
    lines = source.splitlines(keepends=True)
    replacements: list[tuple[int, int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom) or node.level or node.module is None:
            continue
        moved = [alias for alias in node.names if (node.module, alias.name) in moves]
        if not moved:
            continue
        first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
        indent = lines[first][: node.col_offset]
        if lines[first][: node.col_offset].strip() or lines[last].rstrip()[-1:] == ";":
            continue  # shares its line with other code: left for the user
        kept = [alias for alias in node.names if alias not in moved]
        statements = []
        if kept:
            names = ", ".join(_spelled(alias) for alias in kept)
            statements.append(f"{indent}from {node.module} import {names}\n")
        by_target: dict[str, list[str]] = {}
        for alias in moved:
            by_target.setdefault(moves[(node.module, alias.name)], []).append(_spelled(alias))
        for target, names in sorted(by_target.items()):
            statements.append(f"{indent}from {target} import {', '.join(names)}\n")
        replacements.append((first, last, "".join(statements)))
    for first, last, text in sorted(replacements, reverse=True):
        lines[first : last + 1] = [text]
    return "".join(lines)


def main(package: str, root: Path) -> int:
    moves = moves_for(package)
    for folder in (root / "src" / package, root / "tests"):
        for path in sorted(folder.rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            try:
                updated = rewrite(source, moves)
            except SyntaxError:
                print(f"  skipped {path.relative_to(root)}: it does not parse")
                continue
            if updated != source:
                path.write_text(updated, encoding="utf-8")
                print(f"  moved imports in {path.relative_to(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path.cwd()))
