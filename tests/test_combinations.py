"""The combination generator: reading copier.yml and covering every pair of values."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from itertools import product
from pathlib import Path

import pytest

from tests import combinations
from tests.combinations import all_pairs, load_axes, normalize, pairs_in, pairwise

SAMPLE_COPIER_YML = """\
_subdirectory: template
name:
  type: str
  default: demo
size:
  type: str
  choices: [small, medium, large]
  default: medium
engine:
  type: str
  choices:
    Engine A: a
    Engine B: b
    Engine C: {value: c, validator: "{% if size == 'small' %}C needs room{% endif %}"}
  default: a
queue:
  type: str
  choices: [none, celery, rq]
  default: none
broker:
  type: str
  when: "{{ queue != 'none' }}"
  choices: [redis, rabbitmq]
  default: redis
  validator: "{% if queue == 'rq' and broker == 'rabbitmq' %}RQ needs Redis{% endif %}"
extras:
  type: str
  multiselect: true
  choices: [x, y, z]
  default: [y]
docker:
  type: bool
  default: true
slug:
  type: str
  when: false
  default: "{{ name }}"
"""


@pytest.fixture
def sample_axes(tmp_path: Path) -> tuple[combinations.Axis, ...]:
    path = tmp_path / "copier.yml"
    path.write_text(SAMPLE_COPIER_YML, encoding="utf-8")
    return load_axes(path)


def covered(rows: list[dict], order: list[str]) -> set:
    return set().union(*(pairs_in(row, order) for row in rows))


def test_every_pair_is_covered_without_constraints() -> None:
    domains = {"a": [1, 2, 3], "b": ["x", "y"], "c": [True, False], "d": [1, 2, 3, 4], "e": [0]}

    rows = pairwise(domains)

    assert covered(rows, list(domains)) == set(all_pairs(domains))
    assert all(set(row) == set(domains) for row in rows)
    # The two largest domains bound the count from below (4 x 3 = 12);
    # all 72 combinations would be the naive answer.
    assert 12 <= len(rows) <= 16


GENERATE = (
    "import json\n"
    "from tests.combinations import pairwise_combinations, to_copier_data\n"
    "print(json.dumps([to_copier_data(row) for row in pairwise_combinations()]))\n"
)


def _generated_in_a_new_process(hash_seed: str) -> list[dict]:
    # String hashing, and so set order, differs between processes: a generator
    # that leaned on it would pass any comparison made within one process.
    result = subprocess.run(
        [sys.executable, "-c", GENERATE],
        cwd=combinations.TEMPLATE_ROOT,
        env={**os.environ, "PYTHONHASHSEED": hash_seed},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_generation_is_the_same_in_every_process() -> None:
    here = [combinations.to_copier_data(row) for row in combinations.pairwise_combinations()]

    assert _generated_in_a_new_process("1") == here
    assert _generated_in_a_new_process("2") == here


def test_seed_rows_come_first() -> None:
    domains = {"a": [1, 2], "b": [1, 2]}

    rows = pairwise(domains, seeds=[{"a": 2, "b": 2}])

    assert rows[0] == {"a": 2, "b": 2}
    assert len(rows) == 4


def test_axes_are_the_questions_with_fixed_values(sample_axes) -> None:
    values = {axis.name: axis.values for axis in sample_axes}

    # Free text and computed (`when: false`) questions are not axes.
    assert list(values) == ["size", "engine", "queue", "broker", "extras", "docker"]
    assert values["size"] == ["medium", "small", "large"]  # default first
    assert values["engine"] == ["a", "b", "c"]  # label -> value mappings give values
    assert values["extras"] == [("y",), (), ("x",), ("z",), ("x", "y", "z")]
    assert values["docker"] == [True, False]


def test_unasked_and_refused_answers(sample_axes) -> None:
    base = {"size": "large", "engine": "a", "extras": (), "docker": True}

    assert normalize({**base, "queue": "none", "broker": "rabbitmq"}, sample_axes) == {
        **base,
        "queue": "none",
    }
    assert normalize({**base, "queue": "rq", "broker": "rabbitmq"}, sample_axes) is None
    assert normalize({**base, "size": "small", "engine": "c"}, sample_axes) is None
    # A condition reading an answer not chosen yet is not judged.
    assert normalize({"broker": "rabbitmq"}, sample_axes) == {"broker": "rabbitmq"}


def test_constrained_generation_covers_exactly_the_possible_pairs(sample_axes) -> None:
    domains = {axis.name: axis.values for axis in sample_axes}

    def constrain(row: dict) -> dict | None:
        return normalize(row, sample_axes)

    rows = pairwise(domains, constrain)

    assert all(constrain(row) == row for row in rows), "a row Copier would change or refuse"
    # Brute force: the pairs some valid full combination holds.
    possible = set()
    for values in product(*domains.values()):
        if (row := constrain(dict(zip(domains, values, strict=True)))) is not None:
            possible |= pairs_in(row, list(domains))
    assert covered(rows, list(domains)) == possible
    assert all(combinations.is_possible(pair, sample_axes) for pair in possible)
    impossible = set(all_pairs(domains)) - possible
    assert impossible
    assert not any(combinations.is_possible(pair, sample_axes) for pair in impossible)
    assert len(rows) < len(list(product(*domains.values()))) / 10


def test_default_answers_are_the_first_combination() -> None:
    defaults = combinations.default_answers()

    assert combinations.pairwise_combinations()[0] == defaults


def test_defaults_are_offered_choices() -> None:
    assert combinations.default_problems() == []


def test_a_default_that_is_not_offered_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "copier.yml"
    path.write_text(
        SAMPLE_COPIER_YML.replace("default: medium", "default: huge").replace(
            "default: [y]", "default: [y, w]"
        ),
        encoding="utf-8",
    )

    assert combinations.default_problems(load_axes(path)) == [
        "size: default 'huge' is not one of ['small', 'medium', 'large']",
        "extras: default 'w' is not one of ['x', 'y', 'z']",
    ]


def test_template_combinations_cover_every_possible_pair() -> None:
    axes = load_axes()
    domains = {axis.name: axis.values for axis in axes}
    rows = combinations.pairwise_combinations()

    missing = set(all_pairs(domains)) - covered(rows, list(domains))
    # A pair may be left out only if no combination Copier accepts holds it.
    assert not [pair for pair in missing if combinations.is_possible(pair)]
    ids = [combinations.combination_id(row) for row in rows]
    assert len(set(ids)) == len(ids)


def test_copier_data_uses_lists_for_multiselect() -> None:
    data = combinations.to_copier_data({"extras": ("x", "y"), "size": "small"})

    assert data == {"extras": ["x", "y"], "size": "small"}
