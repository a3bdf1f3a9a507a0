"""Part 1, render time.

copier copy of the default and of the fullest combination, next to copier's own
time for a one-file template (the floor); ratios to the floor are per round.

Both templates are rendered from a local git repository with one commit: the
template's is a snapshot of the working tree (uncommitted edits included).
Rendering the working tree itself would add what Copier does for a dirty
checkout (git status, add and commit of the whole tree in its clone) to the
template's time but not to the floor's, and no user renders that way.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from processes import copier_copy, run
from settings import FULLEST_ANSWERS, TARGETS, TEMPLATE
from stats import log, median, rotated, spread, table, verdict


def commit_all(root: Path, message: str) -> Path:
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", message]):
        run([*git, *args], cwd=root, timeout=60)
    return root


def make_floor_template(root: Path) -> Path:
    """A git template with one question and one .jinja file."""
    root.mkdir(parents=True)
    (root / "copier.yml").write_text(
        "_templates_suffix: .jinja\nname:\n  type: str\n  default: world\n"
    )
    (root / "hello.txt.jinja").write_text("Hello {{ name }}!\n")
    return commit_all(root, "floor")


def snapshot_template(root: Path) -> Path:
    """The working tree's files (tracked or not, unless ignored), committed once."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=TEMPLATE,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = TEMPLATE / name
        if source.is_file():  # not a tracked file deleted in the working tree
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    return commit_all(root, "snapshot")


def bench_render(work: Path, rounds: int) -> dict[str, Any]:
    floor = make_floor_template(work / "floor-template")
    template = snapshot_template(work / "template-snapshot")
    answers = work / "fullest.yml"
    answers.write_text(FULLEST_ANSWERS)
    variants: dict[str, tuple[Path, list[str]]] = {
        "one-file template (floor)": (floor, []),
        "default combination": (template, []),
        "fullest combination": (template, ["--data-file", str(answers)]),
    }
    names = list(variants)
    counter = 0

    def render(name: str) -> float:
        nonlocal counter
        counter += 1
        src, extra = variants[name]
        dst = work / f"render-{counter}"
        try:
            return copier_copy(src, dst, extra)
        finally:
            shutil.rmtree(dst, ignore_errors=True)

    log("render: warm-up (one of each, not counted)")
    for name in names:
        render(name)

    times: dict[str, list[float]] = {name: [] for name in names}
    ratios: dict[str, list[float]] = {name: [] for name in names[1:]}
    for i in range(rounds):
        this_round = {name: render(name) for name in rotated(names, i)}
        for name, seconds in this_round.items():
            times[name].append(seconds)
        for name in names[1:]:
            ratios[name].append(this_round[name] / this_round[names[0]])
        log(
            f"render: round {i + 1}/{rounds}: "
            + ", ".join(f"{n.split(' ')[0]} {this_round[n]:.2f}s" for n in names)
        )
    return {
        "rounds": rounds,
        "seconds": times,
        "median_seconds": {n: median(v) for n, v in times.items()},
        "ratio_to_floor": ratios,
        "median_ratio_to_floor": {n: median(v) for n, v in ratios.items()},
        "target_ratio_max": TARGETS["render_ratio_max"],
    }


def report_render(result: dict[str, Any]) -> str:
    floor = "one-file template (floor)"
    rows = []
    for name, values in result["seconds"].items():
        ratio = result["ratio_to_floor"].get(name)
        rows.append(
            [
                name,
                f"{median(values):.2f}",
                spread(values),
                "1.00" if ratio is None else f"{median(ratio):.2f}",
                "-" if ratio is None else spread(ratio),
                "" if name == floor else verdict(median(ratio) <= TARGETS["render_ratio_max"]),
            ]
        )
    return table(
        ["copier copy --trust --defaults", "median s", "range s", "x floor", "range x", "<= 1.5x"],
        rows,
    )
