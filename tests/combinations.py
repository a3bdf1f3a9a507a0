"""Answer combinations to render: the offered choices, read from copier.yml.

Rendering every combination is too slow (the product grows with each option),
and most bugs come from two options meeting, so the render tier covers every
*pair* of values of any two questions (all-pairs testing) with a small set of
combinations built greedily.

Only questions with a fixed set of values are axes: choice questions, bool
questions, and multiselect questions (whose values here are "none of them",
each single choice, and "all of them"). Free-text questions keep their
defaults. Conditional questions (``when``) and choice validators are honoured,
so a combination never carries an answer Copier would not ask for or would
refuse.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from functools import cache
from itertools import combinations as pairs_of_items
from itertools import product
from pathlib import Path
from typing import Any

import yaml
from jinja2 import meta
from jinja2.sandbox import SandboxedEnvironment

from extensions.context import AnswerFilters

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent
COPIER_YML = TEMPLATE_ROOT / "copier.yml"

Value = Hashable
Row = dict[str, Value]
Pair = tuple[tuple[str, Value], tuple[str, Value]]

# Rendered `when` text that Copier reads as false (it parses the text as YAML).
FALSE_WORDS = frozenset({"", "0", "n", "no", "f", "false", "off", "~", "null", "none"})

# Evaluates `when` and validators of the axes, with the template's own
# filters (extensions/context.py), as Copier does, in a first copy's context.
_jinja = SandboxedEnvironment(extensions=[AnswerFilters])
COPY_CONTEXT = {"_copier_operation": "copy", "_copier_conf": {"dst_path": ""}}


class Axis:
    """One question with a fixed set of values, default first."""

    def __init__(self, name: str, spec: Mapping[str, Any]) -> None:
        self.name = name
        self.multiselect = bool(spec.get("multiselect"))
        self.when = spec.get("when", True)
        self.validator = spec.get("validator", "")
        choices, self.choice_validators = _parse_choices(spec)
        # What copier.yml offers and declares: ``values`` below holds the
        # default by construction, so only these can show a default that is
        # not on offer (see default_problems).
        self.choices = choices if choices else [True, False]
        self.declared_default = spec.get("default")
        if self.multiselect:
            values: list[Value] = [(), *((choice,) for choice in choices), tuple(choices)]
            default: Value = tuple(
                choice for choice in choices if choice in spec.get("default", [])
            )
        elif choices:
            values = list(choices)
            default = spec.get("default", choices[0])
        else:  # a bool question
            values = [True, False]
            default = bool(spec.get("default", False))
        # Default first, so the greedy generator starts from the usual answers.
        self.default = default
        self.values = list(dict.fromkeys([default, *values]))

    def is_asked(self, context: Row, axis_names: frozenset[str]) -> bool | None:
        """Whether Copier asks this question after the answers in ``context``.

        None while undecidable: the condition reads an axis not chosen yet.
        """
        if isinstance(self.when, bool):
            return self.when
        rendered = _render_if_decidable(str(self.when), context, axis_names)
        return None if rendered is None else rendered.strip().lower() not in FALSE_WORDS

    def refuses(self, context: Row, axis_names: frozenset[str]) -> bool:
        """Whether the question's validators reject its value in ``context``."""
        value = context[self.name]
        chosen = value if self.multiselect else (value,)
        checks = [self.validator] + [self.choice_validators.get(choice, "") for choice in chosen]
        return any(
            (_render_if_decidable(check, context, axis_names) or "").strip()
            for check in checks
            if check
        )


def _parse_choices(spec: Mapping[str, Any]) -> tuple[list[Value], dict[Value, str]]:
    """The values of ``choices`` (a list, label->value mapping, or extended form)."""
    raw = spec.get("choices")
    if raw is None:
        if spec.get("type") == "bool":
            return [], {}
        raise ValueError(f"not an axis: {spec!r}")
    if isinstance(raw, str):
        raise ValueError("templated choices are not supported by the combination generator")
    items = list(raw.items()) if isinstance(raw, Mapping) else list(raw)
    values: list[Value] = []
    validators: dict[Value, str] = {}
    for item in items:
        value = item[1] if isinstance(item, (list, tuple)) else item
        if isinstance(value, Mapping):  # {value: ..., validator: ...}
            validators[value["value"]] = value.get("validator", "")
            value = value["value"]
        values.append(value)
    return values, validators


@cache
def _parsed(source: str) -> tuple[Any, frozenset[str]]:
    template = _jinja.from_string(source)
    return template, frozenset(meta.find_undeclared_variables(_jinja.parse(source)))


def _render_if_decidable(source: str, context: Row, axis_names: frozenset[str]) -> str | None:
    """Render ``source`` with ``context``, or None when it reads an axis not chosen yet.

    The generator works on partial rows; judging a condition before all the
    answers it reads are known would wrongly drop or refuse values.
    """
    _, names = _parsed(source)
    if any(name in axis_names and name not in context for name in names):
        return None
    # Only the answers the source reads decide what it renders: every
    # combination that agrees on them shares one render.
    return _render(source, tuple(sorted((n, context[n]) for n in names if n in context)))


@cache
def _render(source: str, read: tuple[tuple[str, Value], ...]) -> str:
    template, _ = _parsed(source)
    data = {key: list(value) if isinstance(value, tuple) else value for key, value in read}
    return template.render({**COPY_CONTEXT, **data})


def is_axis(spec: Any) -> bool:
    """A question whose answers form a small fixed set (computed values are not asked)."""
    if not isinstance(spec, Mapping) or spec.get("when") is False:
        return False
    return "choices" in spec or spec.get("type") == "bool"


@cache
def load_axes(copier_yml: Path = COPIER_YML) -> tuple[Axis, ...]:
    """The axes of copier.yml, in question order (Copier asks in that order too)."""
    questions: dict[str, Any] = {}
    for document in yaml.safe_load_all(copier_yml.read_text(encoding="utf-8")):
        questions.update(document or {})
    return tuple(
        Axis(name, spec)
        for name, spec in questions.items()
        if not name.startswith("_") and is_axis(spec)
    )


def normalize(row: Row, axes: Sequence[Axis] | None = None) -> Row | None:
    """``row`` without the answers Copier would not ask for; None if Copier refuses it.

    ``row`` may be partial: an axis it lacks is "not chosen yet", and a
    condition that reads one is not judged.
    """
    axes = load_axes() if axes is None else axes
    axis_names = frozenset(axis.name for axis in axes)
    context: Row = {}  # what Copier knows when it reaches each question
    kept: Row = {}
    for axis in axes:
        if axis.name not in row:
            continue
        if axis.is_asked(context, axis_names) is False:
            # Copier answers a question it does not ask with its default.
            context[axis.name] = axis.default
            continue
        kept[axis.name] = context[axis.name] = row[axis.name]
        if axis.refuses(context, axis_names):
            return None
    return kept


def is_possible(pair: Pair, axes: Sequence[Axis] | None = None) -> bool:
    """Whether some combination Copier accepts holds ``pair`` (by exhaustive search).

    Only the questions that conditions and validators involve can rule a pair
    out, so the search runs over those alone (and the pair's two questions).
    """
    axes = load_axes() if axes is None else axes
    involved = {name for name, _ in pair}
    for axis in axes:
        sources = [str(axis.when), axis.validator, *axis.choice_validators.values()]
        reads = set().union(*(_parsed(source)[1] for source in sources if source))
        if reads or not isinstance(axis.when, bool):
            involved |= reads | {axis.name}
    free = [axis for axis in axes if axis.name in involved and axis.name not in dict(pair)]
    for values in product(*(axis.values for axis in free)):
        row = {**{axis.name: value for axis, value in zip(free, values, strict=True)}, **dict(pair)}
        kept = normalize(row, axes)
        if kept is not None and all(kept.get(name) == value for name, value in pair):
            return True
    return False


def pairs_in(row: Row, order: Sequence[str]) -> set[Pair]:
    """Every pair of (question, value) in ``row``, questions in ``order``."""
    present = [(name, row[name]) for name in order if name in row]
    return set(pairs_of_items(present, 2))


def all_pairs(domains: Mapping[str, Sequence[Value]]) -> list[Pair]:
    """Every pair of values of any two questions, in a fixed order."""
    names = list(domains)
    return [
        ((first, a), (second, b))
        for i, first in enumerate(names)
        for second in names[i + 1 :]
        for a in domains[first]
        for b in domains[second]
    ]


def pairwise(
    domains: Mapping[str, Sequence[Value]],
    constrain: Callable[[Row], Row | None] = lambda row: row,
    seeds: Iterable[Row] = (),
) -> list[Row]:
    """Rows covering every coverable pair of values, greedily and deterministically.

    ``constrain`` maps a (partial) row to the row Copier would see (dropping
    answers it would not ask for) or None when the row is refused. A pair no
    row can hold (say a broker with no queue) is left uncovered. ``seeds``
    are rows to include first (e.g. the default answers).
    """
    order = list(domains)
    uncovered = dict.fromkeys(all_pairs(domains))  # an ordered set
    rows: list[Row] = []

    def take(row: Row) -> None:
        rows.append(row)
        for pair in pairs_in(row, order):
            uncovered.pop(pair, None)

    for seed in seeds:
        if (row := constrain(dict(seed))) is not None:
            take(row)
    while uncovered:
        best: tuple[int, Row] | None = None
        for target in _targets(uncovered):
            row = _row_around(target, domains, constrain, uncovered)
            if row is None or target not in pairs_in(row, order):
                del uncovered[target]  # no valid row holds this pair
                continue
            gain = sum(pair in uncovered for pair in pairs_in(row, order))
            if best is None or gain > best[0]:
                best = (gain, row)
        if best is not None:
            take(best[1])
    return rows


def _targets(uncovered: Mapping[Pair, None], limit: int = 60) -> list[Pair]:
    """Pairs to build candidate rows around: those of the two questions with most left.

    The questions with the largest value product set the lower bound on the
    number of rows; serving them first keeps the total near that bound.
    """
    left = Counter((first[0], second[0]) for first, second in uncovered)
    busiest = max(left, key=left.__getitem__)  # first of equals: deterministic
    return [pair for pair in uncovered if (pair[0][0], pair[1][0]) == busiest][:limit]


def _row_around(
    target: Pair,
    domains: Mapping[str, Sequence[Value]],
    constrain: Callable[[Row], Row | None],
    uncovered: Mapping[Pair, None],
) -> Row | None:
    """A row holding ``target``, each other value picked to cover most new pairs."""
    order = list(domains)
    row: Row = dict(target)
    if constrain(row) != row:
        return None
    for name in order:
        if name in row:
            continue
        best: tuple[int, Row] | None = None
        for value in domains[name]:
            trial = constrain({**row, name: value})
            # A value that makes Copier drop or refuse an answer already chosen is no use.
            if trial is None or any(trial.get(key) != row[key] for key in row):
                continue
            score = sum(pair in uncovered for pair in pairs_in(trial, order))
            if best is None or score > best[0]:
                best = (score, trial)
        if best is None:
            return None
        row = best[1]
    return constrain(row)


def default_problems(axes: Sequence[Axis] | None = None) -> list[str]:
    """Defaults that copier.yml does not offer as a choice of their own question."""
    axes = load_axes() if axes is None else axes
    problems = []
    for axis in axes:
        if axis.declared_default is None:  # Copier then takes no choice, or False
            continue
        declared = axis.declared_default
        chosen = declared if axis.multiselect and isinstance(declared, list) else [declared]
        problems += [
            f"{axis.name}: default {value!r} is not one of {axis.choices}"
            for value in chosen
            if value not in axis.choices
        ]
    return problems


def default_answers() -> Row:
    """The default value of every axis, as Copier would record it."""
    row = normalize({axis.name: axis.default for axis in load_axes()})
    assert row is not None, "copier.yml refuses its own defaults"
    return row


def pairwise_combinations() -> list[Row]:
    """The combinations the render tier renders, the default answers first."""
    axes = load_axes()
    domains = {axis.name: axis.values for axis in axes}
    return pairwise(domains, normalize, seeds=[default_answers()])


def to_copier_data(row: Row) -> dict[str, Any]:
    """``row`` as Copier's ``data`` (multiselect answers are lists)."""
    return {
        key: list(value) if isinstance(value, (tuple, list)) else value
        for key, value in row.items()
    }


def combination_id(row: Row) -> str:
    """A short readable test id, e.g. ``3.13-postgresql-redis-no_auth-ruff-prometheus``.

    Questions with a single offered value say nothing and are left out.
    """
    varying = {axis.name for axis in load_axes() if len(axis.values) > 1}
    words = []
    for name, value in row.items():
        if name not in varying:
            continue
        if isinstance(value, (tuple, list)):
            words.append("+".join(map(str, value)) or f"no_{name}")
        elif isinstance(value, bool):
            words.append(name if value else f"no_{name}")
        else:
            words.append(f"no_{name}" if value == "none" else str(value))
    return "-".join(words)
