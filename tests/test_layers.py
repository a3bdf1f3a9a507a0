"""The rendered import-linter contract covers the whole framework-neutral base.

Every project's pyproject.toml lists the modules that must import no web
framework (``framework_free_modules`` in extensions/context.py). A module
added to the base but not to that list would go unchecked, and a listed
module that a combination does not render makes `lint-imports` fail; both
are caught here for every distinct combination, from path names alone.
That the contract catches a forbidden import is proven on a real project
in tests/test_project.py (test_layering_catches_a_web_import).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.test_destinations import (
    TEMPLATE,
    destinations,
    every_combination,
    every_path_context,
    path_context,
)

# Trees that render for one framework, or for the frameworks of one
# interface, ASGI or WSGI (the web layer); every other source of a module is
# framework-free: the base and the SQLAlchemy stack.
WEB_TREES = ("{% if framework ==", "{% if interface ==")
# The composition roots: the CLI picks the framework's server, so it may
# import it; the task registry lists the domain's tasks, which are Django
# code where the ORM is Django's (the SQLAlchemy stack's contract names it).
COMPOSITION_ROOT = frozenset({"cli", "tasks.registry"})


def base_modules(template: Path, context: dict[str, Any]) -> set[str]:
    """Dotted names (below the package) of the framework-free modules rendered."""
    package = f"src/{context['package_name']}/"
    modules = set()
    for destination, sources in destinations(template, context).items():
        if not destination.startswith(package) or not destination.endswith(".py"):
            continue
        if any(source.startswith(tuple(f"src/{tree}" for tree in WEB_TREES)) for source in sources):
            continue
        modules.add(destination.removeprefix(package).removesuffix(".py").replace("/", "."))
    return modules


def _pattern(listed: str) -> re.Pattern[str]:
    # import-linter's wildcard: `*` stands for one module name; a module
    # also covers its descendants.
    return re.compile(re.escape(listed).replace(r"\*", r"[^.]+") + r"(\..+)?")


def unchecked(template: Path, context: dict[str, Any]) -> list[str]:
    """Base modules the contract does not name (package __init__ files aside)."""
    patterns = [_pattern(listed) for listed in context["framework_free_modules"]]
    return sorted(
        module
        for module in base_modules(template, context)
        if module not in COMPOSITION_ROOT
        and module != "__init__"
        and not module.endswith(".__init__")
        and not any(pattern.fullmatch(module) for pattern in patterns)
    )


def not_rendered(template: Path, context: dict[str, Any]) -> list[str]:
    """Modules the contract names without a wildcard that the render lacks."""
    rendered = base_modules(template, context)
    packages = {module.removesuffix(".__init__") for module in rendered}
    return sorted(
        listed
        for listed in context["framework_free_modules"]
        if "*" not in listed and listed not in rendered and listed not in packages
    )


def _distinct_contexts() -> list[dict[str, Any]]:
    contexts: dict[tuple[Any, ...], dict[str, Any]] = {}
    for context in every_path_context():
        key = (tuple(context["framework_free_modules"]), context["framework"])
        contexts.setdefault(key, context)
    return list(contexts.values())


def test_the_contract_names_every_base_module_in_every_combination() -> None:
    contexts = _distinct_contexts()
    problems = {}
    for context in contexts:
        found = (unchecked(TEMPLATE, context), not_rendered(TEMPLATE, context))
        if any(found):
            problems[tuple(context["framework_free_modules"])] = found
    assert len(contexts) > 10, f"only {len(contexts)} distinct contracts"
    assert not problems, next(iter(problems.items()))


def test_an_unlisted_base_module_is_caught(tmp_path: Path) -> None:
    for source in TEMPLATE.rglob("*"):
        if source.is_file():
            copy = tmp_path / source.relative_to(TEMPLATE)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.touch()
    (tmp_path / "src" / "{{package_name}}" / "pricing.py").touch()
    context = path_context(next(every_combination()))

    assert unchecked(tmp_path, context) == ["pricing"]
    assert unchecked(TEMPLATE, context) == []


def test_a_listed_module_that_is_not_rendered_is_caught() -> None:
    context = path_context(next(every_combination()))
    context["framework_free_modules"] = [*context["framework_free_modules"], "cache"]

    assert not_rendered(TEMPLATE, context) == ["cache"]
