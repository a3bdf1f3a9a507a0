"""Golden renders: canonical combinations kept in the repository as plain files.

A template change shows up in review as a readable diff of generated code.
After changing the template, refresh them with

    uv run python -m tests.golden

and commit the result together with the change; test_golden.py fails while
they are stale.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from tests.combinations import TEMPLATE_ROOT
from tests.rendering import render
from tests.unoffered import snapshot_offering_everything

GOLDEN_ROOT = TEMPLATE_ROOT / "tests" / "golden"

# The answers file records where and when the render came from; nothing to review.
VOLATILE = {".copier-answers.yml"}

CANONICAL: dict[str, dict[str, object]] = {
    "default": {},
    "postgresql-redis-full": {
        "database": "postgresql",
        "cache": "redis",
        "observability": ["prometheus", "opentelemetry", "sentry"],
    },
    "mysql-public-black": {
        "database": "mysql",
        "auth": "none",
        "code_style": "black-isort",
        "ci": "none",
        "observability": [],
        "python_version": "3.11",
    },
}
# Combinations of choices newer than the last recorded release (CHANGELOG.md):
# no release can render them, so the update tests start from the others.
# They join CANONICAL once a release offers their choices.
UNRELEASED_CANONICAL: dict[str, dict[str, object]] = {
    "django-postgresql-redis": {
        "framework": "django",
        "database": "postgresql",
        "cache": "redis",
        "observability": ["prometheus", "opentelemetry", "sentry"],
    },
    "litestar-mysql-jwt": {
        "framework": "litestar",
        "database": "mysql",
        "cache": "redis",
        "observability": ["prometheus", "opentelemetry"],
    },
    "flask-postgresql-jwt": {
        "framework": "flask",
        "database": "postgresql",
        "cache": "redis",
        "observability": ["prometheus", "opentelemetry"],
    },
    "fastapi-celery-redis": {
        "database": "postgresql",
        "queue": "celery",
        "broker": "redis",
    },
    "django-celery-rabbitmq": {
        "framework": "django",
        "database": "postgresql",
        "queue": "celery",
        "broker": "rabbitmq",
    },
    "flask-dramatiq-rabbitmq": {
        "framework": "flask",
        "database": "postgresql",
        "queue": "dramatiq",
        "broker": "rabbitmq",
        "observability": ["prometheus"],
    },
    "litestar-taskiq-rabbitmq": {
        "framework": "litestar",
        "database": "postgresql",
        "queue": "taskiq",
        "broker": "rabbitmq",
    },
    "django-rq-redis": {
        "framework": "django",
        "database": "postgresql",
        "queue": "rq",
        "broker": "redis",
    },
    "fastapi-cluster-gitlab": {
        "database": "postgresql",
        "queue": "celery",
        "broker": "redis",
        "deploy_targets": ["compose", "kubernetes", "helm"],
        "ci": "gitlab",
        "observability": ["prometheus", "opentelemetry", "sentry"],
    },
}
GOLDEN = {**CANONICAL, **UNRELEASED_CANONICAL}


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path, volatile ones left out."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name not in VOLATILE
    }


def differences(expected: dict[str, bytes], actual: dict[str, bytes]) -> list[str]:
    problems = [f"missing from the render: {name}" for name in expected.keys() - actual.keys()]
    problems += [f"not in the golden copy: {name}" for name in actual.keys() - expected.keys()]
    problems += [
        f"differs: {name}"
        for name in expected.keys() & actual.keys()
        if expected[name] != actual[name]
    ]
    return sorted(problems)


def refresh() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        template = snapshot_offering_everything(Path(scratch) / "template")
        for name, answers in GOLDEN.items():
            target = GOLDEN_ROOT / name
            shutil.rmtree(target, ignore_errors=True)
            render(template, target, answers)
            for volatile in VOLATILE:
                (target / volatile).unlink(missing_ok=True)
            print(f"refreshed {target.relative_to(TEMPLATE_ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    refresh()
