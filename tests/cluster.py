"""The Kubernetes objects a rendered project deploys, built as a cluster would get them.

Validators check objects, not the files that produce them: the kustomize
tree is built with `kubectl kustomize` (each folder with a
kustomization.yaml: the base and every overlay), and the Helm chart is
rendered by the Helm library itself (helm-python-sdk wraps Helm's Go SDK:
no `helm` binary is installable here), once with its default values and
once over each values-*.yaml example. Both give plain multi-document YAML,
which the gates then validate alike (gates.kubernetes_schema,
gates.kubernetes_policy).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests import tools

KUSTOMIZE_ROOT = Path("deploy/kubernetes")
HELM_ROOT = Path("deploy/helm")
# The namespace the chart is rendered into: any but "default", which the
# policies refuse (the objects name .Release.Namespace).
RELEASE_NAMESPACE = "service"


class BuildError(Exception):
    """A kustomization or a chart that does not build; the message says why."""


def kustomizations(project: Path) -> list[Path]:
    """Each folder of the kustomize tree that holds a kustomization."""
    root = project / KUSTOMIZE_ROOT
    return sorted(path.parent for path in root.rglob("kustomization.yaml"))


def build_kustomization(folder: Path) -> str:
    result = tools.run("kubectl", "kustomize", ".", cwd=folder)
    if result.returncode:
        raise BuildError(f"kubectl kustomize {folder.name}:\n{tools.output_of(result)}")
    return result.stdout


def charts(project: Path) -> list[Path]:
    root = project / HELM_ROOT
    return sorted(path.parent for path in root.rglob("Chart.yaml"))


def chart_value_sets(chart: Path) -> dict[str, Path | None]:
    """The values a chart is rendered with: its defaults, and each example."""
    sets: dict[str, Path | None] = {"values.yaml": None}
    sets.update({path.name: path for path in sorted(chart.glob("values-*.yaml"))})
    return sets


def _values(values_file: Path | None) -> dict[str, Any]:
    """The values of ``values_file`` over the chart's own, or only its own (None)."""
    import helm_python as helm  # a 70 MiB native library: loaded on first use

    return helm.values_from_yaml(values_file.read_text(encoding="utf-8")) if values_file else {}


def render_chart(chart: Path, values_file: Path | None) -> str:
    """The chart's objects as `helm template` prints them, hooks included."""
    import helm_python as helm

    values = _values(values_file)
    name = yaml.safe_load((chart / "Chart.yaml").read_text(encoding="utf-8"))["name"]
    try:
        rendered = helm.Chart.load(str(chart)).render(
            values, name=name, namespace=RELEASE_NAMESPACE, is_install=True
        )
    except helm.HelmError as error:
        raise BuildError(f"helm template {chart.name}: {error}") from None
    documents = [
        f"# Source: {path}\n{text.strip()}\n"
        for path, text in sorted(rendered.items())
        if path.endswith((".yaml", ".yml")) and text.strip()
    ]
    return "---\n".join(documents)


def lint_chart(chart: Path, values_file: Path | None, kube_version: str) -> list[str]:
    """`helm lint --strict` of the chart with these values: its errors and warnings."""
    import helm_python as helm

    report = helm.lint(str(chart), _values(values_file), strict=True, kube_version=kube_version)
    # Severity 1 is INFO (e.g. "icon is recommended"); 2 is WARNING, 3 ERROR.
    return [
        f"{message['path']}: {message['error']}"
        for message in report["messages"]
        if message["severity"] >= 2
    ] + [str(error) for error in report["errors"]]


def manifests(project: Path) -> dict[str, str]:
    """Every set of objects the project can deploy, by a name that says
    where it came from (``kustomize-production``, ``helm-values.yaml``)."""
    built = {
        f"kustomize-{folder.name}": build_kustomization(folder)
        for folder in kustomizations(project)
    }
    for chart in charts(project):
        for label, values_file in chart_value_sets(chart).items():
            built[f"helm-{label}"] = render_chart(chart, values_file)
    return built
