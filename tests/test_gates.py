"""Every gate catches its defect: plant one in a good render, the gate must report it.

Each test compares the gate's report on the untouched render with its report
on a damaged copy, so a gate that fails for another reason (the template is
still being written) cannot pass the test by accident.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests import gates, tools
from tests.combinations import default_answers
from tests.rendering import RenderCache

pytestmark = pytest.mark.gates

PLANTED = "planted"


@pytest.fixture
def good(rendered: RenderCache) -> Path:
    return rendered(default_answers())


@pytest.fixture
def damaged(good: Path, writable_copy: Callable[[Path], Path]) -> Path:
    return writable_copy(good)


def package_dir(project: Path) -> Path:
    return project / "src" / str(gates.answers(project)["package_name"])


def plant(project: Path, relative: str, text: str) -> Path:
    path = project / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def plant_module(project: Path, text: str) -> Path:
    return plant(package_dir(project), f"{PLANTED}.py", text)


def assert_caught(gate: Callable[..., list[str]], good: Path, damaged: Path, expected: str) -> None:
    before = "\n".join(gate(good))
    after = "\n".join(gate(damaged))
    assert expected in after, f"{gate.__name__} missed the planted defect:\n{after}"
    assert expected not in before, "the undamaged render already shows the defect"


# Content gates -------------------------------------------------------------------


def test_leftover_jinja_is_caught(good: Path, damaged: Path) -> None:
    plant_module(damaged, '"""Planted."""\n\nNAME = "{{ x }}"\n')

    assert_caught(gates.leftover_jinja, good, damaged, f"{PLANTED}.py:3: leftover Jinja")


@pytest.mark.parametrize("tag", ["{% if x %}", "{# note #}"])
def test_leftover_jinja_tags_are_caught(good: Path, damaged: Path, tag: str) -> None:
    plant(damaged, f"{PLANTED}.md", f"# Planted\n\n{tag}\n")

    assert_caught(gates.leftover_jinja, good, damaged, f"{PLANTED}.md:3: leftover Jinja")


def test_unrendered_file_name_is_caught(good: Path, damaged: Path) -> None:
    plant(damaged, "{{ package_name }}.txt", "text\n")
    plant(damaged, f"{PLANTED}.txt.jinja", "text\n")

    assert_caught(gates.leftover_jinja, good, damaged, "{{ package_name }}.txt: unrendered")
    assert_caught(gates.leftover_jinja, good, damaged, f"{PLANTED}.txt.jinja: unrendered")


def test_github_expressions_are_not_leftover_jinja(damaged: Path) -> None:
    plant(damaged, f"{PLANTED}.yml", "run: echo ${{ github.sha }} ${{ env.A }}\n")
    plant(damaged, f"{PLANTED}-mixed.yml", "run: echo ${{ github.sha }} {{ x }}\n")

    flagged = {problem.split(":")[0] for problem in gates.leftover_jinja(damaged)}

    assert f"{PLANTED}.yml" not in flagged
    assert f"{PLANTED}-mixed.yml" in flagged


@pytest.mark.parametrize("content", ["", "\n\n  \n"], ids=["empty", "whitespace"])
def test_empty_file_is_caught(good: Path, damaged: Path, content: str) -> None:
    plant_module(damaged, content)

    assert_caught(gates.empty_files, good, damaged, f"{PLANTED}.py: empty file")


def test_py_typed_may_be_empty(good: Path) -> None:
    assert (package_dir(good) / "py.typed").is_file()
    assert "py.typed" not in "\n".join(gates.empty_files(good))


@pytest.mark.parametrize(
    "statement",
    [
        "from {package}.not_rendered import thing",
        "import {package}.not_rendered",
        "from . import not_rendered",
        "from .not_rendered import thing",
        "from {package} import no_such_name",
    ],
)
def test_import_of_unrendered_module_is_caught(good: Path, damaged: Path, statement: str) -> None:
    package = package_dir(damaged).name
    plant_module(damaged, f'"""Planted."""\n\n{statement.format(package=package)}\n')

    assert_caught(gates.unrendered_imports, good, damaged, f"{PLANTED}.py:3: imports")


def test_imports_of_rendered_modules_pass(good: Path, damaged: Path) -> None:
    package = package_dir(damaged).name
    plant_module(
        damaged,
        f'"""Planted."""\n\nimport {package}.settings\nfrom . import settings\n'
        f"from .settings import get_settings\nfrom {package} import settings as again\n",
    )

    assert f"{PLANTED}.py" not in "\n".join(gates.unrendered_imports(damaged))


def test_broken_yaml_is_caught(good: Path, damaged: Path) -> None:
    plant(damaged, f"{PLANTED}.yaml", "key: [unclosed\n")

    assert_caught(gates.yaml_files, good, damaged, f"{PLANTED}.yaml: invalid YAML")


def test_broken_toml_is_caught(good: Path, damaged: Path) -> None:
    plant(damaged, f"{PLANTED}.toml", "key = \n")

    assert_caught(gates.toml_files, good, damaged, f"{PLANTED}.toml: invalid TOML")


# Tool gates ----------------------------------------------------------------------


# Each half of each formatting gate gets a file that only that tool objects to,
# so a gate that stopped running one of its tools misses its plant.
BAD_SPACING = '"""Planted."""\n\nx=1\n'
UNSORTED_IMPORTS = '"""Planted."""\n\nimport sys\nimport os\n\nprint(os, sys)\n'


@pytest.mark.parametrize(
    ("code_style", "tool", "text", "accepted_by"),
    [
        ("ruff", "ruff format", BAD_SPACING, None),
        ("black-isort", "black", BAD_SPACING, ("isort", "--check-only", "--profile", "black")),
        ("black-isort", "isort", UNSORTED_IMPORTS, ("black", "--check", "--quiet")),
    ],
    ids=["ruff-format", "black", "isort"],
)
def test_unformatted_file_is_caught(
    rendered: RenderCache,
    writable_copy: Callable[[Path], Path],
    code_style: str,
    tool: str,
    text: str,
    accepted_by: tuple[str, ...] | None,
) -> None:
    good = rendered({**default_answers(), "code_style": code_style})
    damaged = writable_copy(good)
    planted = plant_module(damaged, text)
    if accepted_by is not None:
        # The other tool of the pair accepts the plant: only `tool` can catch it.
        other = tools.run(*accepted_by, planted, cwd=damaged)
        assert other.returncode == 0, tools.output_of(other)

    reported = [p for p in gates.formatting(damaged) if p.startswith(f"{tool} would change")]

    assert reported, f"the {tool} half of the formatting gate missed the plant"
    assert f"{PLANTED}.py" in "\n".join(reported)
    assert f"{PLANTED}.py" not in "\n".join(gates.formatting(good))


@pytest.mark.parametrize(
    ("code_style", "gate"),
    [
        ("ruff", gates.ruff_lint),
        ("black-isort", gates.ruff_lint),
        ("black-isort", gates.flake8_lint),
    ],
)
def test_lint_error_is_caught(
    rendered: RenderCache, writable_copy: Callable[[Path], Path], code_style: str, gate
) -> None:
    good = rendered({**default_answers(), "code_style": code_style})
    damaged = writable_copy(good)
    plant_module(damaged, '"""Planted."""\n\nimport os\n')

    assert_caught(gate, good, damaged, "F401")


def _edit_dockerfile(project: Path, edit: Callable[[str], str]) -> None:
    path = project / "Dockerfile"
    if not path.is_file():
        pytest.fail("the default render has no Dockerfile to damage")
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")


def _drop_user_lines(text: str) -> str:
    return "".join(line for line in text.splitlines(True) if not re.match(r"\s*USER\b", line))


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda text: text.rstrip("\n") + "\nUSER root\n", "DL3002"),
        (_drop_user_lines, "the final stage has no USER"),
        (lambda text: _drop_user_lines(text).rstrip("\n") + "\nUSER app\n", "not a numeric id"),
    ],
    ids=["user-root", "no-user", "named-user"],
)
def test_root_container_is_caught(good: Path, damaged: Path, edit, expected: str) -> None:
    _edit_dockerfile(damaged, edit)

    assert_caught(gates.dockerfile, good, damaged, expected)


def test_unpinned_action_is_caught(good: Path, damaged: Path) -> None:
    workflows = gates.workflow_files(damaged)
    if not workflows:
        pytest.fail("the default render has no GitHub workflow to damage")
    text = workflows[0].read_text(encoding="utf-8")
    unpinned, count = re.subn(r"uses:\s*\S+@\S+", "uses: actions/checkout@v4", text, count=1)
    assert count, f"{workflows[0].name} uses no action"
    workflows[0].write_text(unpinned, encoding="utf-8")

    assert_caught(gates.workflow_security, good, damaged, "unpinned-uses")


PLANTED_WORKFLOW = """\
name: planted
on: [push]
permissions: {}
jobs:
  check:
    runs-on: ubuntu-latest
    needs: no-such-job
    steps:
      - run: echo checked
"""


@pytest.mark.parametrize("gate", [gates.workflow_lint, gates.workflow_security])
def test_missing_workflow_is_reported(good: Path, damaged: Path, gate) -> None:
    # With ci=github a render without workflows must fail, not pass unchecked.
    for workflow in gates.workflow_files(damaged):
        workflow.unlink()

    assert_caught(gate, good, damaged, gates.NO_WORKFLOW)


def test_broken_workflow_is_caught(good: Path, damaged: Path) -> None:
    plant(damaged, f".github/workflows/{PLANTED}.yml", PLANTED_WORKFLOW)

    assert_caught(gates.workflow_lint, good, damaged, '"no-such-job" which does not exist')


def test_workflow_off_schema_is_caught(good: Path, damaged: Path) -> None:
    plant(damaged, f".github/workflows/{PLANTED}.yml", PLANTED_WORKFLOW + "bogus-key: true\n")

    assert_caught(gates.workflow_schema, good, damaged, "bogus-key")


def test_compose_off_schema_is_caught(good: Path, damaged: Path) -> None:
    path = damaged / "compose.yaml"
    if not path.is_file():
        pytest.fail("the default render has no compose.yaml to damage")
    compose = yaml.safe_load(path.read_text(encoding="utf-8"))
    first_service = next(iter(compose["services"].values()))
    first_service["bogus_key"] = True
    path.write_text(yaml.safe_dump(compose), encoding="utf-8")

    assert_caught(gates.compose_schema, good, damaged, "bogus_key")


@pytest.mark.parametrize("gate", [gates.compose_schema, gates.workflow_schema])
def test_schema_gate_with_nothing_to_check_says_so(tmp_path: Path, gate) -> None:
    problems = gate(tmp_path)

    assert len(problems) == 1
    assert "no file to check" in problems[0]


# Template gate -------------------------------------------------------------------


def test_template_file_with_four_conditions_is_caught(tmp_path: Path) -> None:
    plant(tmp_path, "three.txt.jinja", "{% if a %}{% elif b %}{% endif %}{%- if c -%}{% endif %}")
    plant(tmp_path, "sub/four.txt.jinja", "{% if a %}{% endif %}" * 3 + "{%+ elif b %}")
    # Conditions in a file name and in files Copier copies verbatim are not counted.
    plant(tmp_path, "{% if a %}name{% endif %}.jinja", "plain\n")
    plant(tmp_path, "verbatim.txt", "{% if a %}" * 5)

    assert gates.template_if_tags(tmp_path) == ["sub/four.txt.jinja: 4 if/elif tags (at most 3)"]


def test_option_condition_in_a_framework_neutral_file_is_caught(tmp_path: Path) -> None:
    options, facts = frozenset({"has_auth", "framework"}), frozenset({"framework"})
    plant(tmp_path, "shared.py.jinja", "x = 1\n{%- if has_auth %}\ny = 2\n{%- endif %}\n")
    # Allowed: conditions on data, and any condition in a framework's overlay.
    data = "{% for hook in hooks %}{% if hook.args %}a{% endif %}{% endfor %}"
    plant(tmp_path, "data.yaml.jinja", data)
    overlay = "{% if framework == 'fastapi' %}web{% endif %}/app.py.jinja"
    plant(tmp_path, overlay, "{% if has_auth %}{% endif %}")

    assert gates.option_conditions_in_shared_files(tmp_path, options, facts) == [
        "shared.py.jinja:2: {% if %} on has_auth in a framework-neutral file"
        " (use a snippet or a derived name)"
    ]


def test_unescaped_free_text_is_caught(tmp_path: Path) -> None:
    plant(
        tmp_path,
        "pyproject.toml.jinja",
        'a = {{ description | toml_string }}\nb = "{{ author_name }}"\n',
    )
    plant(
        tmp_path, "src/{{ package_name }}/main.py.jinja", "T = {{ project_name | toml_string }}\n"
    )
    plant(
        tmp_path,
        "{% if x %}README.md{% endif %}.jinja",
        "# {{ project_name | markdown_text | upper }}\n",
    )
    plant(tmp_path, ".env.example.jinja", "# {{ author_email | yaml_string }}\n")
    # Escaped, or not free text: fine.
    plant(tmp_path, "ok.yml.jinja", "a: {{ project_name | yaml_string }}\nb: {{ project_slug }}\n")

    assert gates.unescaped_answers(tmp_path) == [
        ".env.example.jinja:1: author_email written unescaped "
        "(no escaping filter for this syntax: leave it out)",
        "pyproject.toml.jinja:2: author_name written unescaped "
        "(end the expression with | toml_string)",
        "src/{{ package_name }}/main.py.jinja:1: project_name written unescaped "
        "(end the expression with | python_string)",
        "{% if x %}README.md{% endif %}.jinja:1: project_name written unescaped "
        "(end the expression with | markdown_text)",
    ]


def test_makefile_gate_catches_an_unlisted_target(rendered, writable_copy) -> None:
    project = writable_copy(rendered(default_answers()))
    makefile = project / "Makefile"
    makefile.write_text(makefile.read_text() + "\nsecret-target:\n\techo hidden\n")

    problems = gates.makefile_help(project)

    assert any("secret-target" in problem for problem in problems)


def test_env_example_gate_catches_an_undocumented_setting(rendered, writable_copy) -> None:
    project = writable_copy(rendered(default_answers()))
    example = project / ".env.example"
    example.write_text(example.read_text().replace("LOG_LEVEL=", "LOGLEVEL="))

    problems = gates.env_example_complete(project)

    assert problems == [".env.example: LOG_LEVEL is not documented"]
