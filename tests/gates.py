"""The quality gates a rendered project must pass, as plain functions.

Each gate takes a rendered project directory and returns its problems (an
empty list when clean), one readable line or block each, paths relative to
the project. The render tier runs them over every combination; the gate
tests plant one defect in a good render and check that the matching gate
reports it. Both call these same functions, so a gate proven to catch its
defect is the gate that guards the renders.

Gates that start a slow tool (check-jsonschema) take many projects at once,
so one process checks every render.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import tempfile
import tomllib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import yaml
from jinja2 import Environment, nodes

from extensions.context import as_list, load_catalog
from tests import cluster, tools

ANSWERS_FILE = ".copier-answers.yml"
# Directories that tools or hooks may create inside a project; not rendered output.
NOT_RENDERED = frozenset(
    {".git", "__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache", ".venv"}
)
# A PEP 561 marker carries no content by definition; every other file must say something.
MAY_BE_EMPTY = frozenset({"py.typed"})
# GitHub Actions expressions (`${{ github.sha }}`) are meant to reach the output.
GITHUB_EXPRESSION = re.compile(r"\$\{\{.*?\}\}")
# `${#name}` is a shell string length, not a Jinja comment.
JINJA_MARK = re.compile(r"\{\{|\{%|(?<!\$)\{#")
IF_TAG = re.compile(r"\{%[-+]?\s*(?:el)?if\b")
MAX_IF_TAGS = 3
# Answers a person types freely, and the escaping filter (extensions/escaping.py)
# of each file syntax they may be written into. Other files must not hold them.
FREE_TEXT_ANSWERS = frozenset({"project_name", "description", "author_name", "author_email"})
ESCAPING_FILTERS = {
    ".toml": "toml_string",
    ".py": "python_string",
    ".yml": "yaml_string",
    ".yaml": "yaml_string",
    ".md": "markdown_text",
}
GITLAB_CI = ".gitlab-ci.yml"
COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
# A gate that finds nothing to check says so instead of passing.
NO_WORKFLOW = ".github/workflows: no GitHub workflow to check"

Gate = Callable[[Path], list[str]]


# Reading a project ------------------------------------------------------------


def answers(project: Path) -> dict[str, object]:
    """The answers Copier recorded for ``project``."""
    path = project / ANSWERS_FILE
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def project_files(project: Path) -> Iterator[Path]:
    """Every rendered file, in a stable order."""
    for path in sorted(project.rglob("*")):
        if path.is_file() and not NOT_RENDERED.intersection(path.relative_to(project).parts):
            yield path


def text_of(path: Path) -> str | None:
    """The file's text, or None for a binary file."""
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def files_matching(project: Path, *suffixes: str) -> list[Path]:
    return [path for path in project_files(project) if path.name.endswith(suffixes)]


def workflow_files(project: Path) -> list[Path]:
    folder = project / ".github" / "workflows"
    return sorted(path for path in folder.glob("*") if path.suffix in {".yml", ".yaml"})


def is_helm_template(path: Path) -> bool:
    """A file of a Helm chart's templates/: Go templates, which Helm renders
    (cluster.render_chart) and `helm lint` checks, not YAML or Jinja."""
    return path.parent.name == "templates" and (path.parent.parent / "Chart.yaml").is_file()


def _relative(path: Path, project: Path) -> str:
    return str(path.relative_to(project))


def _tool_problem(result: subprocess.CompletedProcess[str], what: str) -> list[str]:
    return [f"{what}:\n{tools.output_of(result)}"] if result.returncode else []


# Content gates (pure Python) ---------------------------------------------------


def leftover_jinja(project: Path) -> list[str]:
    """Jinja that was not rendered: in file names, a stray .jinja suffix, or in text."""
    problems = []
    for path in project_files(project):
        name = _relative(path, project)
        if JINJA_MARK.search(name) or path.name.endswith(".jinja"):
            problems.append(f"{name}: unrendered file name")
        if is_helm_template(path):
            continue
        text = text_of(path)
        for number, line in enumerate((text or "").splitlines(), start=1):
            if JINJA_MARK.search(GITHUB_EXPRESSION.sub("", line)):
                problems.append(f"{name}:{number}: leftover Jinja: {line.strip()}")
    return problems


def empty_files(project: Path) -> list[str]:
    """Files with nothing but whitespace (a feature rendered away to nothing)."""
    return [
        f"{_relative(path, project)}: empty file"
        for path in project_files(project)
        if path.name not in MAY_BE_EMPTY and not path.read_bytes().strip()
    ]


def yaml_files(project: Path) -> list[str]:
    problems = []
    for path in files_matching(project, ".yml", ".yaml"):
        if is_helm_template(path):
            continue
        try:
            list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
        except yaml.YAMLError as error:
            problems.append(f"{_relative(path, project)}: invalid YAML: {error}")
    return problems


def toml_files(project: Path) -> list[str]:
    problems = []
    for path in files_matching(project, ".toml"):
        try:
            tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            problems.append(f"{_relative(path, project)}: invalid TOML: {error}")
    return problems


def unrendered_imports(project: Path) -> list[str]:
    """Imports of the project's own modules (absolute or relative) that do not exist.

    A feature owns whole files, so a file rendered for one combination can
    still import a module rendered only for another; this finds that drift
    without installing the project.
    """
    package = str(answers(project).get("package_name", ""))
    roots = [root for root in (project / "src", project) if (root / package).is_dir()]
    if not package or not roots:
        return [f"package directory of {package!r} not found under src/ or the project root"]
    root = roots[0]
    problems = []
    for path in files_matching(project, ".py"):
        name = _relative(path, project)
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=name)
        except SyntaxError as error:
            problems.append(f"{name}:{error.lineno}: does not parse: {error.msg}")
            continue
        for node in ast.walk(tree):
            for problem in _import_problems(node, path, root, package):
                problems.append(f"{name}:{node.lineno}: {problem}")
    return problems


def _import_problems(node: ast.AST, path: Path, root: Path, package: str) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name.split(".")[0] == package:
                yield from _missing_module(root, alias.name)
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base = path.parent
            for _ in range(node.level - 1):
                base = base.parent
            target = base.joinpath(*(node.module.split(".") if node.module else []))
            shown = "." * node.level + (node.module or "")
        elif (node.module or "").split(".")[0] == package:
            target = root.joinpath(*node.module.split("."))
            shown = node.module
        else:
            return
        if _module_file(target) is None and not target.is_dir():
            yield f"imports {shown}, which was not rendered"
            return
        for alias in node.names:
            if not _provides(target, alias.name):
                yield f"imports {alias.name} from {shown}, which neither defines nor contains it"


def _missing_module(root: Path, dotted: str) -> Iterator[str]:
    target = root.joinpath(*dotted.split("."))
    if _module_file(target) is None and not target.is_dir():
        yield f"imports {dotted}, which was not rendered"


def _module_file(target: Path) -> Path | None:
    """The source of module ``target`` (a path without suffix), if rendered."""
    for candidate in (target.with_name(target.name + ".py"), target / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _provides(target: Path, name: str) -> bool:
    """Whether ``from <target> import name`` finds a submodule or a top-level name."""
    if name == "*" or _module_file(target / name) is not None or (target / name).is_dir():
        return True
    source = _module_file(target)
    if source is None:  # a namespace package has no names of its own
        return False
    defined = _top_level_names(ast.parse(source.read_text(encoding="utf-8")).body)
    return name in defined or "*" in defined or "__getattr__" in defined


def _top_level_names(body: list[ast.stmt]) -> set[str]:
    """Names a module binds at import time, including inside if/try/with blocks."""
    names: set[str] = set()
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            continue  # names bound inside are not module attributes
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update(alias.asname or alias.name.split(".")[0] for alias in node.names)
        elif type(node).__name__ == "TypeAlias":  # `type X = ...`, Python 3.12+
            names.add(node.name.id)
        for block in ("body", "orelse", "finalbody", "handlers"):
            names |= _top_level_names(getattr(node, block, None) or [])
    return names


# Tool gates (one process per project) ------------------------------------------


def formatting(project: Path) -> list[str]:
    """The project's formatter, with the project's own configuration, changes nothing."""
    style = answers(project).get("code_style")
    if style == "ruff":
        runs = [("ruff format", ("ruff", "format", "--no-cache", "--check", "--diff", "."))]
    elif style == "black-isort":
        runs = [
            ("black", ("black", "--check", "--diff", "--quiet", ".")),
            ("isort", ("isort", "--check-only", "--diff", "--profile", "black", ".")),
        ]
    else:
        return [f"unknown code_style {style!r} in {ANSWERS_FILE}"]
    problems = []
    for label, (tool, *args) in runs:
        problems += _tool_problem(
            tools.run(tool, *args, cwd=project), f"{label} would change files"
        )
    return problems


def ruff_lint(project: Path) -> list[str]:
    """`ruff check` with the project's configuration (ruff's defaults if it has none)."""
    result = tools.run("ruff", "check", "--no-cache", "--output-format=concise", ".", cwd=project)
    return _tool_problem(result, "ruff check")


def flake8_lint(project: Path) -> list[str]:
    """flake8, the linter of black-isort projects, with the project's configuration."""
    return _tool_problem(tools.run("flake8", ".", cwd=project), "flake8")


def dockerfile(project: Path) -> list[str]:
    """hadolint is clean and the final stage runs as a numeric non-root user."""
    path = project / "Dockerfile"
    if not path.is_file():
        return ["Dockerfile is missing"]
    problems = _tool_problem(
        tools.run("hadolint", "--no-color", "Dockerfile", cwd=project), "hadolint"
    )
    return problems + _final_user_problems(path.read_text(encoding="utf-8"))


def _final_user_problems(text: str) -> list[str]:
    # hadolint only objects to an explicit `USER root`; a final stage with no
    # USER at all runs as root too, and a name instead of a numeric id cannot
    # be verified by Kubernetes' runAsNonRoot.
    instructions = [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    stages = [i for i, line in enumerate(instructions) if line.upper().startswith("FROM ")]
    final_stage = instructions[stages[-1] if stages else 0 :]
    users = [
        line.split(None, 1)[1].strip() for line in final_stage if re.match(r"(?i)USER\s+\S", line)
    ]
    if not users:
        return ["Dockerfile: the final stage has no USER, so the container runs as root"]
    user = users[-1].split(":")[0]
    if not user.isdigit():
        return [f"Dockerfile: final USER {users[-1]!r} is not a numeric id"]
    if int(user) == 0:
        return ["Dockerfile: final USER is root (uid 0)"]
    return []


def workflow_lint(project: Path) -> list[str]:
    """actionlint over the rendered GitHub workflows."""
    files = workflow_files(project)
    if not files:
        return [NO_WORKFLOW]
    result = tools.run("actionlint", "-no-color", "-oneline", *files, cwd=project)
    return _tool_problem(result, "actionlint")


def workflow_security(project: Path) -> list[str]:
    """zizmor (offline audits) over the rendered GitHub workflows and actions."""
    if not workflow_files(project):
        return [NO_WORKFLOW]
    result = tools.run("zizmor", "--offline", "--format", "plain", ".", cwd=project)
    return _tool_problem(result, "zizmor")


def gitlab_scripts(project: Path) -> list[str]:
    """shellcheck over each GitLab job's script lines, as the job's shell runs them."""
    path = project / GITLAB_CI
    if not path.is_file():
        return [f"{GITLAB_CI}: no GitLab pipeline to check"]
    pipeline = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    problems = []
    with tempfile.TemporaryDirectory() as scratch:
        for job, spec in pipeline.items():
            if not isinstance(spec, dict):
                continue
            lines = [
                line
                for key in ("before_script", "script", "after_script")
                for line in spec.get(key) or []
            ]
            if not lines:
                continue
            script = Path(scratch) / f"{job.lstrip('.')}.sh"
            script.write_text("#!/bin/sh\nset -e\n" + "\n".join(lines) + "\n", encoding="utf-8")
            result = tools.run("shellcheck", "--format=gcc", script.name, cwd=Path(scratch))
            problems += _tool_problem(result, f"{GITLAB_CI}: job {job}: shellcheck")
    return problems


def env_example_complete(project: Path) -> list[str]:
    """.env.example documents every field of the settings object."""
    package = str(answers(project)["package_name"])
    settings = ast.parse((project / "src" / package / "settings.py").read_text(encoding="utf-8"))
    fields = [
        statement.target.id.upper()
        for node in ast.walk(settings)
        if isinstance(node, ast.ClassDef) and node.name == "Settings"
        for statement in node.body
        if isinstance(statement, ast.AnnAssign)
        and isinstance(statement.target, ast.Name)
        and statement.target.id != "model_config"
    ]
    documented = set(
        re.findall(
            r"^#? ?([A-Z][A-Z0-9_]*)=", (project / ".env.example").read_text(encoding="utf-8"), re.M
        )
    )
    return [f".env.example: {name} is not documented" for name in fields if name not in documented]


def makefile_help(project: Path) -> list[str]:
    """`make help` lists every target of the Makefile."""
    makefile = project / "Makefile"
    targets = re.findall(r"^([a-z][a-z-]*):", makefile.read_text(encoding="utf-8"), re.M)
    result = subprocess.run(
        ["make", "--no-print-directory", "help"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        return [f"Makefile: make help failed: {result.stderr.strip()}"]
    listed = set(re.findall(r"^\s+([a-z][a-z-]*)\s", result.stdout, re.M))
    return [
        f"Makefile: target {target!r} missing from make help"
        for target in targets
        if target not in listed
    ]


class ManifestsMissingError(Exception):
    """The project's manifests did not build, or there are none."""


def _write_manifests(project: Path, folder: Path) -> list[str]:
    """Build the project's Kubernetes objects into ``folder``, one file per
    set (cluster.manifests); the files' names, or the build's errors."""
    try:
        built = cluster.manifests(project)
    except cluster.BuildError as error:
        raise ManifestsMissingError(str(error)) from None
    if not built:
        raise ManifestsMissingError("deploy/: no Kubernetes manifests to check")
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in built.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return sorted(f"{name}.yaml" for name in built)


def kubernetes_schema(project: Path) -> list[str]:
    """Every object the project deploys (its kustomize builds and Helm renders)
    is valid Kubernetes, with no unknown field, from the oldest version the
    docs promise to the newest the validator knows."""
    versions = load_catalog()["kubernetes"]
    with tempfile.TemporaryDirectory() as scratch:
        try:
            files = _write_manifests(project, Path(scratch))
        except ManifestsMissingError as error:
            return [str(error)]
        problems = []
        for version in (versions["oldest_version"], versions["newest_version"]):
            result = tools.run(
                "kubernetes-validate",
                "-k",
                f"{version}.0",
                "--strict",
                "--quiet",
                *files,
                cwd=Path(scratch),
            )
            problems += _tool_problem(result, f"kubernetes-validate --strict ({version})")
    return problems


def helm_lint(project: Path) -> list[str]:
    """`helm lint --strict` of each chart, with its defaults and each values example."""
    version = load_catalog()["kubernetes"]["oldest_version"]
    charts = cluster.charts(project)
    if not charts:
        return ["deploy/helm: no chart to lint"]
    return [
        f"{_relative(chart, project)} ({label}): {problem}"
        for chart in charts
        for label, values in cluster.chart_value_sets(chart).items()
        for problem in cluster.lint_chart(chart, values, f"v{version}.0")
    ]


PROJECT_GATES: dict[str, Gate] = {
    "leftover-jinja": leftover_jinja,
    "empty-files": empty_files,
    "imports": unrendered_imports,
    "yaml": yaml_files,
    "toml": toml_files,
    "formatting": formatting,
    "ruff": ruff_lint,
    "flake8": flake8_lint,
    "dockerfile": dockerfile,
    "actionlint": workflow_lint,
    "zizmor": workflow_security,
    "makefile-help": makefile_help,
    "env-example": env_example_complete,
    "gitlab-scripts": gitlab_scripts,
    "kubernetes-schema": kubernetes_schema,
    "helm-lint": helm_lint,
}

# Gates that apply to some answers only (flake8 to black-isort projects, the
# workflow checks to GitHub CI). The render tier runs a gate only where it
# applies, so no test id names a check that never ran.
GATE_SCOPES: dict[str, Callable[[Mapping[str, object]], bool]] = {
    "flake8": lambda chosen: chosen["code_style"] == "black-isort",
    "actionlint": lambda chosen: chosen["ci"] == "github",
    "zizmor": lambda chosen: chosen["ci"] == "github",
    "gitlab-scripts": lambda chosen: chosen["ci"] == "gitlab",
    "kubernetes-schema": lambda chosen: bool(
        {"kubernetes", "helm"} & set(as_list(chosen["deploy_targets"]))
    ),
    "helm-lint": lambda chosen: "helm" in as_list(chosen["deploy_targets"]),
}


def gates_for(chosen: Mapping[str, object]) -> list[str]:
    """Names of the project gates that apply to a render of the answers ``chosen``."""
    return [name for name in PROJECT_GATES if GATE_SCOPES.get(name, lambda _: True)(chosen)]


# Schema gates (one process for many projects) ------------------------------------


def compose_schema(*projects: Path) -> list[str]:
    """Every compose file matches the Compose specification."""
    files = [
        project / name
        for project in projects
        for name in COMPOSE_FILES
        if (project / name).is_file()
    ]
    return _schema_problems("vendor.compose-spec", files)


def workflow_schema(*projects: Path) -> list[str]:
    """Every GitHub workflow matches SchemaStore's workflow schema."""
    return _schema_problems(
        "vendor.github-workflows", [f for p in projects for f in workflow_files(p)]
    )


def gitlab_schema(*projects: Path) -> list[str]:
    """Every .gitlab-ci.yml matches GitLab's own CI schema (as vendored by
    check-jsonschema), its `!reference` tags read as GitLab reads them."""
    files = [project / GITLAB_CI for project in projects if (project / GITLAB_CI).is_file()]
    return _schema_problems(
        "vendor.gitlab-ci",
        files,
        "--data-transform",
        "gitlab-ci",
        "--regex-variant",
        "nonunicode",
    )


def renovate_schema(*projects: Path) -> list[str]:
    """Every renovate.json matches Renovate's configuration schema."""
    files = [project / "renovate.json" for project in projects]
    return _schema_problems("vendor.renovate", [f for f in files if f.is_file()])


def _schema_problems(schema: str, files: list[Path], *options: str) -> list[str]:
    if not files:
        return [f"check-jsonschema ({schema}): no file to check"]
    # Problems name files as <render directory>/<file>: the render directory says which answers.
    base = Path(os.path.commonpath([f.parent for f in files]))
    args = [
        "-o",
        "JSON",
        *options,
        "--builtin-schema",
        schema,
        *(str(f.relative_to(base)) for f in files),
    ]
    result = tools.run("check-jsonschema", *args, cwd=base)
    if result.returncode == 0:
        return []
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return [f"check-jsonschema ({schema}) failed:\n{tools.output_of(result)}"]
    problems = [f"{e['filename']}: {e['path']}: {e['message']}" for e in report.get("errors", [])]
    problems += [f"{e['filename']}: {e['message']}" for e in report.get("parse_errors", [])]
    return problems or [f"check-jsonschema ({schema}) failed:\n{tools.output_of(result)}"]


def kubernetes_policy(*projects: Path) -> list[str]:
    """checkov's Kubernetes policies pass on every object the projects deploy:
    a skip needs a `checkov.io/skip` annotation that says why, in the manifest."""
    with tempfile.TemporaryDirectory() as scratch:
        built = 0
        problems = []
        for project in projects:
            if not (project / cluster.KUSTOMIZE_ROOT.parent).is_dir():
                continue
            try:
                _write_manifests(project, Path(scratch) / project.name)
                built += 1
            except ManifestsMissingError as error:
                problems.append(f"{project.name}: {error}")
        if not built:
            return problems or ["checkov: no Kubernetes manifests to check"]
        result = tools.run(
            "checkov",
            "--skip-download",
            "--quiet",
            "--compact",
            "--framework",
            "kubernetes",
            "--output",
            "json",
            "--directory",
            ".",
            cwd=Path(scratch),
        )
    return problems + _checkov_problems(result)


def _checkov_problems(result: subprocess.CompletedProcess[str]) -> list[str]:
    try:
        reports = json.loads(result.stdout)
    except json.JSONDecodeError:
        return [f"checkov failed:\n{tools.output_of(result)}"]
    problems = []
    for report in reports if isinstance(reports, list) else [reports]:
        results = report.get("results", {})
        problems += [
            f"{check['file_path'].lstrip('/')}: {check['check_id']} {check['check_name']}"
            f" ({check['resource']})"
            for check in results.get("failed_checks", [])
        ]
        problems += [
            f"{path}: checkov could not parse it" for path in results.get("parsing_errors", [])
        ]
    if result.returncode and not problems:
        problems.append(f"checkov failed:\n{tools.output_of(result)}")
    return problems


BATCH_GATES: dict[str, Callable[..., list[str]]] = {
    "compose-schema": compose_schema,
    "workflow-schema": workflow_schema,
    "gitlab-schema": gitlab_schema,
    "renovate-schema": renovate_schema,
    "kubernetes-policy": kubernetes_policy,
}


# Template gates ------------------------------------------------------------------


def template_if_tags(template_dir: Path, limit: int = MAX_IF_TAGS) -> list[str]:
    """Template files with more than ``limit`` `{% if %}`/`{% elif %}` tags.

    A feature should own whole files (conditional file names, `_exclude`),
    not sprinkle conditions through shared ones.
    """
    problems = []
    for path in sorted(template_dir.rglob("*.jinja")):
        count = len(IF_TAG.findall(path.read_text(encoding="utf-8")))
        if count > limit:
            problems.append(
                f"{_relative(path, template_dir)}: {count} if/elif tags (at most {limit})"
            )
    return problems


def _names_in(node: nodes.Node) -> set[str]:
    """The variables a Jinja node reads (the node itself included)."""
    found = [node, *node.find_all(nodes.Name)]
    return {name.name for name in found if isinstance(name, nodes.Name)}


def _reads(part: str, names: frozenset[str]) -> bool:
    """Whether a path part reads any of ``names``."""
    return bool(_names_in(Environment().parse(part)) & names)


def option_conditions_in_shared_files(
    template_dir: Path, options: frozenset[str], framework_facts: frozenset[str]
) -> list[str]:
    """`{% if %}` tags that test an option in files every framework renders.

    A file is framework-neutral when no part of its path tests the framework
    (``framework_facts``: the answer and the facts derived from it); such a
    file takes its variations from snippets and derived data, so a test of an
    option (``options``: the answers and derived yes/no facts) is a defect.
    Conditions on data (``{% if hook.args %}``, an empty list) are not.
    """
    problems = []
    for path in sorted(template_dir.rglob("*.jinja")):
        relative = path.relative_to(template_dir)
        if any(_reads(part, framework_facts) for part in relative.parts[:-1]):
            continue
        tree = Environment().parse(path.read_text(encoding="utf-8"))
        for condition in tree.find_all(nodes.If):
            read = sorted(_names_in(condition.test) & options)
            if read:
                problems.append(
                    f"{relative.as_posix()}:{condition.lineno}: {{% if %}} on {', '.join(read)}"
                    " in a framework-neutral file (use a snippet or a derived name)"
                )
    return problems


def unescaped_answers(template_dir: Path) -> list[str]:
    """Free-text answers written into a template without the escaping filter of its syntax.

    The filter must be the outermost operation of the ``{{ }}`` expression, so
    nothing can undo its escaping; a file whose syntax has no filter (a shell
    script, .env.example) must not hold free text at all.
    """
    parser = Environment()
    problems = []
    for path in sorted(template_dir.rglob("*.jinja")):
        # The rendered name: without .jinja and the conditions in the name.
        rendered_name = re.sub(r"\{[{%].*?[%}]\}", "", path.name.removesuffix(".jinja"))
        expected = ESCAPING_FILTERS.get(Path(rendered_name).suffix)
        tree = parser.parse(path.read_text(encoding="utf-8"))
        for output in tree.find_all(nodes.Output):
            for expression in output.nodes:
                names = [expression, *expression.find_all(nodes.Name)]
                used = sorted(
                    {name.name for name in names if isinstance(name, nodes.Name)}
                    & FREE_TEXT_ANSWERS
                )
                if not used or (
                    isinstance(expression, nodes.Filter) and expression.name == expected
                ):
                    continue
                where = f"{_relative(path, template_dir)}:{expression.lineno}"
                need = (
                    f"end the expression with | {expected}"
                    if expected
                    else "no escaping filter for this syntax: leave it out"
                )
                problems.append(f"{where}: {', '.join(used)} written unescaped ({need})")
    return problems
