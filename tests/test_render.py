"""Render tier: every pairwise combination renders clean.

Each combination is rendered once per test worker (see ``rendered`` in
conftest.py) and every gate of ``tests/gates.py`` runs on it; the schema
gates check all renders in one process.
"""

from __future__ import annotations

import pytest
import yaml

from extensions.context import derive
from tests import gates
from tests.combinations import (
    TEMPLATE_ROOT,
    combination_id,
    default_answers,
    load_axes,
    pairwise_combinations,
    to_copier_data,
)
from tests.rendering import RenderCache, RenderFailedError

pytestmark = pytest.mark.render

COMBINATIONS = pairwise_combinations()
IDS = [combination_id(answers) for answers in COMBINATIONS]
# Each gate with each combination it applies to, combinations outermost, so
# one worker tends to receive all the gates of a render.
GATE_CASES = [
    (answers, gate)
    for answers in COMBINATIONS
    for gate in gates.gates_for({**default_answers(), **answers})
]
# Jinja lives in the rendered tree and in the snippets it includes.
TEMPLATE_TREES = [TEMPLATE_ROOT / "template", TEMPLATE_ROOT / "includes"]


@pytest.mark.parametrize("answers", COMBINATIONS, ids=IDS)
def test_renders_with_the_given_answers(rendered: RenderCache, answers: dict) -> None:
    project = rendered(answers)

    recorded = yaml.safe_load((project / gates.ANSWERS_FILE).read_text(encoding="utf-8"))
    assert {key: recorded.get(key) for key in answers} == to_copier_data(answers)


@pytest.mark.parametrize(
    ("answers", "gate"),
    GATE_CASES,
    ids=[f"{combination_id(answers)}-{gate}" for answers, gate in GATE_CASES],
)
def test_render_passes_gate(rendered: RenderCache, answers: dict, gate: str) -> None:
    problems = gates.PROJECT_GATES[gate](rendered(answers))

    assert not problems, "\n".join(problems)


def test_every_gate_runs_on_some_combination() -> None:
    # A scope that matches no combination would retire its gate silently.
    idle = set(gates.PROJECT_GATES) - {gate for _, gate in GATE_CASES}

    assert not idle, f"gates that no combination runs: {sorted(idle)}"


@pytest.mark.parametrize("gate", list(gates.BATCH_GATES))
def test_renders_pass_schema_gate(rendered: RenderCache, gate: str) -> None:
    projects = []
    for answers in COMBINATIONS:
        try:
            projects.append(rendered(answers))
        except RenderFailedError:
            continue  # reported by test_renders_with_the_given_answers
    if not projects:
        pytest.fail("no combination rendered")

    problems = gates.BATCH_GATES[gate](*projects)

    assert not problems, "\n".join(problems)


def test_free_text_answers_pass_through_their_escaping_filter() -> None:
    problems = []
    for tree in TEMPLATE_TREES:
        if tree.is_dir():
            problems += [f"{tree.name}/{problem}" for problem in gates.unescaped_answers(tree)]

    assert not problems, "\n".join(problems)


def test_template_files_hold_few_conditions() -> None:
    problems = []
    for tree in TEMPLATE_TREES:
        if tree.is_dir():
            problems += [f"{tree.name}/{problem}" for problem in gates.template_if_tags(tree)]

    assert not problems, "\n".join(problems)


def option_names() -> frozenset[str]:
    """The answers, and the yes/no facts derive() computes from them."""
    answers = default_answers()
    facts = derive(answers)
    # Every question, those the defaults do not ask (broker) included.
    questions = {axis.name for axis in load_axes()}
    booleans = {name for name, value in facts.items() if isinstance(value, bool)}
    return frozenset(answers) | questions | booleans


# The framework answer and the facts that follow from it alone.
FRAMEWORK_FACTS = frozenset({"framework", "orm", "interface"})


def test_framework_neutral_files_test_no_option() -> None:
    problems = gates.option_conditions_in_shared_files(
        TEMPLATE_ROOT / "template", option_names(), FRAMEWORK_FACTS
    )

    assert not problems, "\n".join(problems)
