"""The Kubernetes, Helm and GitLab CI gates catch their defects.

A render with both cluster targets and GitLab CI is damaged in one place at a
time (the kustomize base, the chart's templates, the pipeline); the gate
that guards it must report the defect, and must not report it on the
untouched render. As in
test_gates.py, a gate that fails for another reason cannot pass a test here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import cluster, gates
from tests.test_gates import assert_caught, plant

pytestmark = pytest.mark.gates

CLUSTER_ANSWERS = {
    "database": "postgresql",
    "queue": "celery",
    "deploy_targets": ["compose", "kubernetes", "helm"],
    "ci": "gitlab",
}
BASE_DEPLOYMENT = "deploy/kubernetes/base/deployment.yaml"
CHART_DEPLOYMENT = "deploy/helm/templates/deployment.yaml"
# The chart's hardening is one named template that every pod includes.
CHART_HELPERS = "deploy/helm/templates/_helpers.tpl"


@pytest.fixture
def good(rendered) -> Path:
    return rendered(CLUSTER_ANSWERS)


@pytest.fixture
def damaged(good: Path, writable_copy: Callable[[Path], Path]) -> Path:
    return writable_copy(good)


def edit(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{relative} has no {old!r} to damage"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def drop_block(project: Path, relative: str, key: str) -> None:
    """Remove the mapping entry ``key:`` and the lines indented under it."""
    path = project / relative
    text = path.read_text(encoding="utf-8")
    damaged, count = re.subn(rf"(?m)^( *){key}:\n(?:\1 .*\n)+", "", text, count=1)
    assert count, f"{relative} has no {key} to drop"
    path.write_text(damaged, encoding="utf-8")


@pytest.mark.parametrize("where", [BASE_DEPLOYMENT, CHART_HELPERS])
def test_a_root_container_is_caught(good: Path, damaged: Path, where: str) -> None:
    edit(damaged, where, "runAsNonRoot: true", "runAsNonRoot: false")
    edit(damaged, where, "runAsUser: 10001", "runAsUser: 0")

    assert_caught(gates.kubernetes_policy, good, damaged, "CKV_K8S_23")


@pytest.mark.parametrize("where", [BASE_DEPLOYMENT, CHART_DEPLOYMENT])
def test_a_missing_probe_is_caught(good: Path, damaged: Path, where: str) -> None:
    drop_block(damaged, where, "readinessProbe")

    assert_caught(gates.kubernetes_policy, good, damaged, "CKV_K8S_9")


def test_a_writable_root_filesystem_is_caught(good: Path, damaged: Path) -> None:
    edit(damaged, BASE_DEPLOYMENT, "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false")

    assert_caught(gates.kubernetes_policy, good, damaged, "CKV_K8S_22")


@pytest.mark.parametrize("where", [BASE_DEPLOYMENT, CHART_DEPLOYMENT])
def test_an_unknown_field_is_caught(good: Path, damaged: Path, where: str) -> None:
    # A typo of `replicas`, which the API server would drop without a word.
    edit(damaged, where, "  strategy:\n", "  replica: 3\n  strategy:\n")

    assert_caught(gates.kubernetes_schema, good, damaged, "Additional properties")


def test_a_field_of_the_wrong_type_is_caught(good: Path, damaged: Path) -> None:
    edit(damaged, "deploy/kubernetes/base/service.yaml", "port: 80", "port: eighty")

    assert_caught(gates.kubernetes_schema, good, damaged, "eighty")


def test_a_chart_that_does_not_render_is_caught(good: Path, damaged: Path) -> None:
    plant(damaged, f"deploy/helm/templates/{PLANTED_TEMPLATE}", "{{ .Values.no.such.value }}\n")

    assert_caught(gates.helm_lint, good, damaged, "nil pointer")
    assert_caught(gates.kubernetes_schema, good, damaged, "helm template")


def test_a_kustomization_that_does_not_build_is_caught(good: Path, damaged: Path) -> None:
    edit(
        damaged,
        "deploy/kubernetes/base/kustomization.yaml",
        "  - service.yaml\n",
        "  - nope.yaml\n",
    )

    assert_caught(gates.kubernetes_schema, good, damaged, "kubectl kustomize base")


PLANTED_TEMPLATE = "planted.yaml"


def test_the_chart_renders_what_the_kustomize_tree_deploys(good: Path) -> None:
    # The two targets deploy the same objects: a kind or a hardening setting
    # missing from one of them is drift.
    def kinds(text: str) -> set[str]:
        return set(re.findall(r"(?m)^kind: (\w+)$", text))

    built = cluster.manifests(good)
    kustomize = built["kustomize-production"]
    helm = built["helm-values-production.yaml"]

    # The Namespace is kustomize's own (Helm's --create-namespace makes it);
    # the Ingress is the chart's (a kustomize overlay adds the cluster's own).
    assert kinds(kustomize) - {"Namespace"} == kinds(helm) - {"Ingress"}
    for setting in ("readOnlyRootFilesystem: true", "runAsNonRoot: true", "RuntimeDefault"):
        assert kustomize.count(setting) == helm.count(setting), setting


def test_gates_with_no_manifests_say_so(tmp_path: Path) -> None:
    assert gates.kubernetes_schema(tmp_path) == ["deploy/: no Kubernetes manifests to check"]
    assert gates.helm_lint(tmp_path) == ["deploy/helm: no chart to lint"]
    assert gates.kubernetes_policy(tmp_path) == ["checkov: no Kubernetes manifests to check"]
    assert gates.gitlab_scripts(tmp_path) == [".gitlab-ci.yml: no GitLab pipeline to check"]
    for gate in (gates.gitlab_schema, gates.renovate_schema):
        assert "no file to check" in gate(tmp_path)[0]


def test_an_invalid_gitlab_job_is_caught(good: Path, damaged: Path) -> None:
    # `when` takes one of GitLab's words; a job with another never runs.
    edit(damaged, gates.GITLAB_CI, "  stage: test\n", "  stage: test\n  when: sometimes\n")

    assert_caught(gates.gitlab_schema, good, damaged, "sometimes")


def test_an_unknown_gitlab_keyword_is_caught(good: Path, damaged: Path) -> None:
    edit(damaged, gates.GITLAB_CI, "  stage: test\n", "  stage: test\n  scripts: [true]\n")

    assert_caught(gates.gitlab_schema, good, damaged, "scripts")


def test_a_shell_mistake_in_a_gitlab_job_is_caught(good: Path, damaged: Path) -> None:
    edit(damaged, gates.GITLAB_CI, "    - uv run pytest\n", "    - uv run pytest $UNQUOTED*\n")

    assert_caught(gates.gitlab_scripts, good, damaged, "SC2")


def test_renovate_off_schema_is_caught(good: Path, damaged: Path) -> None:
    edit(damaged, "renovate.json", '"prConcurrentLimit": 5', '"prConcurrentLimit": "five"')

    assert_caught(gates.renovate_schema, good, damaged, "five")
