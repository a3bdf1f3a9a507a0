"""Every destination path has exactly one source, in every combination.

With a framework-neutral base and one overlay per framework (DESIGN.md
section 4), two template files could render to the same path; Copier then
aborts a `--defaults` copy or lets directory order pick a winner. Rendering
only the path names is cheap, so this covers every combination of the
answers (every subset of a multiselect included), not the pairwise set.
"""

from __future__ import annotations

import fnmatch
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Mapping
from functools import cache
from itertools import chain, combinations, product
from pathlib import Path
from typing import Any

import pytest
import yaml
from jinja2 import Environment, StrictUndefined, Template, meta

from extensions.context import derive
from tests.combinations import COPIER_YML, TEMPLATE_ROOT, Axis, Row, load_axes, normalize
from tests.golden import GOLDEN, GOLDEN_ROOT, VOLATILE
from tests.unoffered import offering

TEMPLATE = TEMPLATE_ROOT / "template"
# Free-text answers keep one value: only package_name reaches a path.
FREE_TEXT = {"package_name": "pkg", "_copier_conf": {"answers_file": ".copier-answers.yml"}}

_paths = Environment(undefined=StrictUndefined, keep_trailing_newline=True)


@cache
def _compiled(part: str) -> Template:
    return _paths.from_string(part)


@cache
def copier_settings() -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for document in yaml.safe_load_all(COPIER_YML.read_text(encoding="utf-8")):
        settings.update({k: v for k, v in (document or {}).items() if k.startswith("_")})
    return settings


def static_excludes() -> list[str]:
    """The `_exclude` patterns that hold for a first copy (no Jinja in them)."""
    return [pattern for pattern in copier_settings()["_exclude"] if "{" not in pattern]


@cache
def _part_variables(part: str) -> tuple[str, ...]:
    return tuple(sorted(meta.find_undeclared_variables(_paths.parse(part))))


_part_renders: dict[tuple[str, tuple[Any, ...]], str] = {}


def _rendered_part(part: str, context: Mapping[str, Any]) -> str:
    """``part`` rendered with ``context``; contexts that agree on the names
    the part reads share one render (thousands of contexts, few names each)."""
    names = _part_variables(part)
    key = (part, tuple(_frozen_value(context[name]) for name in names))
    if key not in _part_renders:
        _part_renders[key] = _compiled(part).render({name: context[name] for name in names})
    return _part_renders[key]


def _frozen_value(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((key, _frozen_value(item)) for key, item in value.items()))
    return tuple(value) if isinstance(value, list) else value


def _source_names(template: Path) -> list[tuple[str, list[str]]]:
    """Each template file, with the names of its path as Copier renders them
    (the suffix taken off the file's name)."""
    suffix = copier_settings()["_templates_suffix"]
    sources = []
    for source in sorted(path for path in template.rglob("*") if path.is_file()):
        relative = source.relative_to(template)
        names = [*relative.parts[:-1], relative.name.removesuffix(suffix)]
        sources.append((relative.as_posix(), names))
    return sources


def destinations(template: Path, context: Mapping[str, Any]) -> dict[str, list[str]]:
    """Each rendered destination path, with the template files that render to it."""
    found: dict[str, list[str]] = defaultdict(list)
    for relative, names in _source_names(template):
        destination = _destination(names, context)
        if destination is not None:
            found[destination].append(relative)
    return found


def _destination(names: list[str], context: Mapping[str, Any]) -> str | None:
    """Where a source with these path names renders in ``context``, or None."""
    parts = [_rendered_part(name, context) if "{" in name else name for name in names]
    if not all(parts) or any(
        fnmatch.fnmatch(part, pattern) for part in parts for pattern in static_excludes()
    ):
        return None  # Copier skips a path with an empty part, and excluded names
    return "/".join(parts)


def collisions_in_any(template: Path, contexts: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """Destinations that two sources render to in one of ``contexts``, with
    the two sources.

    Checking each context whole is too slow (a hundred thousand of them, a
    few hundred sources each). A source's path reads a few names only, so
    each source is rendered once per distinct value of its names; two
    sources that can land on one destination collide if some context gives
    both of those values at once.
    """
    by_names: dict[tuple[str, ...], list[tuple[str, list[str]]]] = defaultdict(list)
    for relative, names in _source_names(template):
        read = sorted({v for name in names if "{" in name for v in _part_variables(name)})
        by_names[tuple(read)].append((relative, names))

    def projection(context: Mapping[str, Any], read: tuple[str, ...]) -> tuple[Any, ...]:
        return tuple(_frozen_value(context[name]) for name in read)

    # destination -> (source, the names it reads, their values) for each way there
    landing: dict[str, list[tuple[str, tuple[str, ...], tuple[Any, ...]]]] = defaultdict(list)
    for read, group in by_names.items():
        samples = {projection(context, read): context for context in contexts}
        for values, context in samples.items():
            for relative, names in group:
                destination = _destination(names, context)
                if destination is not None:
                    landing[destination].append((relative, read, values))

    joint_cache: dict[tuple[tuple[str, ...], tuple[str, ...]], set[tuple[Any, ...]]] = {}

    def together(read_a: tuple[str, ...], read_b: tuple[str, ...]) -> set[tuple[Any, ...]]:
        if (read_a, read_b) not in joint_cache:
            joint_cache[read_a, read_b] = {
                (projection(context, read_a), projection(context, read_b)) for context in contexts
            }
        return joint_cache[read_a, read_b]

    found = {}
    for destination, ways in landing.items():
        for (source_a, read_a, values_a), (source_b, read_b, values_b) in combinations(ways, 2):
            if source_a != source_b and (values_a, values_b) in together(read_a, read_b):
                found[destination] = (source_a, source_b)
    return found


def collisions(template: Path, context: Mapping[str, Any]) -> dict[str, list[str]]:
    return {
        destination: sources
        for destination, sources in destinations(template, context).items()
        if len(sources) > 1
    }


def _values(axis: Axis) -> list[Any]:
    """Every answer to ``axis``: each subset of a multiselect's choices."""
    if not axis.multiselect:
        return list(axis.values)
    choices = list(axis.choices)
    return [
        tuple(subset)
        for subset in chain.from_iterable(
            combinations(choices, size) for size in range(len(choices) + 1)
        )
    ]


def every_combination(axes: tuple[Axis, ...] | None = None) -> Iterator[Row]:
    """Every combination Copier accepts, by copier.yml's axes unless ``axes``."""
    axes = load_axes() if axes is None else axes
    seen: set[tuple[tuple[str, Any], ...]] = set()
    for values in product(*(_values(axis) for axis in axes)):
        row = normalize(dict(zip((axis.name for axis in axes), values, strict=True)), axes)
        if row is None:
            continue
        key = tuple(sorted(row.items()))
        if key not in seen:
            seen.add(key)
            yield row


def path_context(row: Row) -> dict[str, Any]:
    # Copier renders a question it did not ask (broker, without a queue)
    # with its default.
    unasked = {axis.name: axis.default for axis in load_axes()}
    answers = {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in {**unasked, **row}.items()
    }
    context = {**FREE_TEXT, **answers}
    context.update(derive(context))
    return context


def path_variables(template: Path) -> frozenset[str]:
    """The names that some path part of ``template`` reads."""
    names: set[str] = set()
    for source in template.rglob("*"):
        for part in source.relative_to(template).parts:
            names |= meta.find_undeclared_variables(_paths.parse(part))
    return frozenset(names)


def axes_offering_everything(folder: Path) -> tuple[Axis, ...]:
    """copier.yml's axes with the choices under construction (tests/unoffered.py)."""
    copier_yml = folder / "copier.yml"
    copier_yml.write_text(offering(COPIER_YML.read_text(encoding="utf-8")), encoding="utf-8")
    return load_axes(copier_yml)


@cache
def every_path_context() -> tuple[dict[str, Any], ...]:
    """The context of every combination, choices under construction included
    (their files are in the template already); computed once per process,
    for this test and tests/test_layers.py."""
    with tempfile.TemporaryDirectory() as folder:
        axes = axes_offering_everything(Path(folder))
    return tuple(path_context(row) for row in every_combination(axes))


def test_every_destination_has_one_source_in_every_combination() -> None:
    # Combinations that agree on every name the paths read give the same
    # paths: each distinct one is checked once.
    variables = sorted(path_variables(TEMPLATE) - {"_copier_conf"})
    contexts: dict[tuple[Any, ...], dict[str, Any]] = {}
    for context in every_path_context():
        contexts.setdefault(tuple(_frozen_value(context[name]) for name in variables), context)
    problems = collisions_in_any(TEMPLATE, list(contexts.values()))
    assert len(contexts) > 100, f"only {len(contexts)} distinct path contexts"
    assert {"fastapi", "django"} <= {context["framework"] for context in contexts.values()}
    assert not problems, next(iter(problems.items()))


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_paths_are_rendered_as_copier_renders_them(name: str) -> None:
    """The names this test computes are the files of the golden renders."""
    answers = {axis.name: axis.default for axis in load_axes()}
    answers.update(GOLDEN[name])
    context = path_context({**answers, "package_name": "acme_orders"})
    golden = GOLDEN_ROOT / name
    files = {path.relative_to(golden).as_posix() for path in golden.rglob("*") if path.is_file()}

    assert set(destinations(TEMPLATE, context)) - VOLATILE == files - VOLATILE


@pytest.fixture
def planted_template(tmp_path: Path) -> Path:
    """The template's file names (empty files: only names matter), plus one
    base file that the FastAPI overlay also renders: the defect to catch."""
    for source in TEMPLATE.rglob("*"):
        if source.is_file():
            copy = tmp_path / source.relative_to(TEMPLATE)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.touch()
    (tmp_path / "src" / "{{package_name}}" / "main.py.jinja").touch()
    return tmp_path


def test_a_path_with_two_sources_is_caught(planted_template: Path) -> None:
    default = next(every_combination())

    found = collisions(planted_template, path_context(default))

    assert found == {
        "src/pkg/main.py": [
            "src/{% if framework == 'fastapi' %}{{package_name}}{% endif %}/main.py.jinja",
            "src/{{package_name}}/main.py.jinja",
        ]
    }
    assert collisions(TEMPLATE, path_context(default)) == {}
    # The check over every combination finds it as well, through the values
    # of each source's names.
    assert collisions_in_any(planted_template, [path_context(default)]) == {
        "src/pkg/main.py": (
            "src/{% if framework == 'fastapi' %}{{package_name}}{% endif %}/main.py.jinja",
            "src/{{package_name}}/main.py.jinja",
        )
    }
    assert collisions_in_any(TEMPLATE, [path_context(default)]) == {}
