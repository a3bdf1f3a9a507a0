"""Bad answers are refused by Copier, with a message that says how to fix them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from jinja2 import Environment

from extensions.context import AnswerFilters

pytestmark = pytest.mark.render

# (answers, the helpful part of the message)
BAD_ANSWERS = {
    "keyword-package": ({"package_name": "class"}, "'class' is a Python keyword"),
    "digit-first-package": ({"package_name": "1abc"}, "'1abc' is not a Python identifier"),
    "upper-case-package": ({"package_name": "Acme"}, "in lower case (e.g. acme)"),
    "stdlib-package": ({"package_name": "json"}, "would shadow the standard library"),
    "dependency-package": ({"package_name": "fastapi"}, "would shadow a dependency"),
    "empty-project-name": ({"project_name": ""}, "Type a name for the service"),
    "blank-project-name": ({"project_name": "   "}, "Type a name for the service"),
    "no-slug-from-the-name": ({"project_name": "東京サービス"}, "the name has no Latin letters"),
    "spaced-slug": ({"project_slug": "Bad Slug"}, "'Bad Slug' is not a valid slug"),
    "trailing-hyphen-slug": ({"project_slug": "acme-"}, "'acme-' is not a valid slug"),
    "bad-email": ({"author_email": "not-an-email"}, "'not-an-email' is not an e-mail address"),
    "multiline-description": (
        {"description": "First line.\nSecond line."},
        "Type the description on one line",
    ),
    "long-description": ({"description": "x" * 201}, "under 200 characters"),
    # Quotes, backslashes and braces are escaped (test_hostile_answers.py);
    # only what a file cannot hold is refused.
    "comma-author": ({"author_name": "Doe, Jane"}, "Type the author name without commas"),
    "multiline-author": ({"author_name": "Jane\nDoe"}, "Type the author name on one line"),
    "tab-in-name": ({"project_name": "Acme\tOrders"}, "Type the name on one line, without tabs"),
    "quoted-email": ({"author_email": 'jane"doe@example.com'}, "is not an e-mail address"),
    "control-in-email": ({"author_email": "jane\x07@example.com"}, "is not an e-mail address"),
    "kubernetes-on-sqlite": (
        {"deploy_targets": ["compose", "kubernetes"]},
        "choose database postgresql or mysql, or leave out kubernetes",
    ),
    "helm-on-sqlite": ({"deploy_targets": ["helm"]}, "cannot share a SQLite file"),
    "unknown-choice": ({"database": "oracle"}, "Invalid choice"),
    "unknown-multiselect-choice": ({"observability": ["tracing"]}, "Invalid choice"),
}


@pytest.mark.parametrize(("answers", "message"), BAD_ANSWERS.values(), ids=BAD_ANSWERS)
def test_bad_answer_is_refused(copie, template_snapshot: Path, answers: dict, message: str) -> None:
    result = copie.copy(extra_answers=answers, template_dir=template_snapshot)

    assert result.exit_code != 0, f"Copier accepted {answers}"
    assert message in str(result.exception)


def test_default_answers_are_accepted(copie, template_snapshot: Path) -> None:
    # The control for the refusals above: the same call with good answers succeeds.
    result = copie.copy(template_dir=template_snapshot)

    assert result.exit_code == 0, result.exception
    assert result.project_dir is not None and result.project_dir.is_dir()


def test_name_in_any_script_is_accepted_with_a_slug(copie, template_snapshot: Path) -> None:
    answers = {"project_name": "東京サービス", "project_slug": "tokyo-service"}

    result = copie.copy(extra_answers=answers, template_dir=template_snapshot)

    assert result.exit_code == 0, result.exception
    assert result.project_dir is not None
    assert (result.project_dir / "src" / "tokyo_service").is_dir()


def test_personal_copier_settings_are_shut_out() -> None:
    # conftest.py points Copier at an empty settings file, so defaults or
    # trusted repositories from the developer's own settings cannot change a render.
    settings = Path(os.environ["COPIER_SETTINGS_PATH"])

    assert yaml.safe_load(settings.read_text(encoding="utf-8")) == {}


@pytest.mark.parametrize(
    ("recorded", "operation", "refused"),
    [
        ("django", "update", True),
        ("fastapi", "update", False),
        (None, "update", False),  # no answers file: nothing recorded
        ("django", "copy", False),
    ],
)
def test_an_update_keeps_the_framework(
    tmp_path: Path, recorded: str | None, operation: str, refused: bool
) -> None:
    """copier.yml's framework validator, rendered as Copier renders it."""
    if recorded is not None:
        (tmp_path / ".copier-answers.yml").write_text(f"framework: {recorded}\n")
    questions = yaml.safe_load((Path(__file__).parent.parent / "copier.yml").read_text())
    validator = Environment(extensions=[AnswerFilters]).from_string(
        questions["framework"]["validator"]
    )

    message = validator.render(
        framework="fastapi", _copier_operation=operation, _copier_conf={"dst_path": tmp_path}
    )

    if refused:
        assert message.startswith("This project is built on django; an update keeps it.")
        assert "make a fresh copy" in message
    else:
        assert message == ""
