"""Part 2, render to green tests.

render + `uv sync` + `uv run pytest -q` for the default (sqlite) and for
postgresql + redis + jwt, on a warm uv cache.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from processes import base_env, copier_copy, find_uv, run
from settings import SERVER_DATA, TARGETS, TEMPLATE
from stats import log, median, rotated, spread, table, verdict


def bench_green(work: Path, rounds: int, database_url: str, redis_url: str) -> dict[str, Any]:
    uv = find_uv()
    variants: dict[str, tuple[list[str], dict[str, str], float]] = {
        "sqlite (default)": ([], {}, TARGETS["green_sqlite_s"]),
        "postgresql+redis+jwt": (
            SERVER_DATA,
            {"DATABASE_URL": database_url, "REDIS_URL": redis_url},
            TARGETS["green_postgresql_s"],
        ),
    }
    names = list(variants)
    counter = 0

    def pipeline(name: str, pytest_args: Sequence[str] = ()) -> tuple[dict[str, float], str]:
        nonlocal counter
        counter += 1
        data, extra_env, _ = variants[name]
        env = base_env()
        for key in ("DATABASE_URL", "REDIS_URL"):
            env.pop(key, None)
        env.update(extra_env)
        dst = work / f"green-{counter}"
        try:
            phases = {"render": copier_copy(TEMPLATE, dst, data)}
            phases["uv sync"], _ = run([uv, "sync", "-q"], cwd=dst, env=env)
            phases["uv run pytest"], output = run(
                [uv, "run", "pytest", "-q", *pytest_args], cwd=dst, env=env
            )
            phases["total"] = sum(phases.values())
            return phases, output
        finally:
            shutil.rmtree(dst, ignore_errors=True)

    slowest: dict[str, list[str]] = {}
    pytest_reported: dict[str, list[float]] = {name: [] for name in names}
    log("green: warm-up (one pipeline each, warms the uv cache, not counted)")
    for name in names:
        phases, output = pipeline(name, ["--durations=5"])
        lines = output.splitlines()
        start = next((i for i, text in enumerate(lines) if "slowest 5 durations" in text), None)
        slowest[name] = lines[start + 1 : start + 6] if start is not None else []
        log(f"green: warm-up {name}: {phases['total']:.1f}s")

    samples: dict[str, list[dict[str, float]]] = {name: [] for name in names}
    for i in range(rounds):
        for name in rotated(names, i):
            phases, output = pipeline(name)
            match = re.search(r"passed.* in ([\d.]+)s", output)
            if match:
                pytest_reported[name].append(float(match.group(1)))
            samples[name].append(phases)
            log(
                f"green: round {i + 1}/{rounds} {name}: "
                + ", ".join(f"{k} {v:.1f}s" for k, v in phases.items())
            )
    medians = {
        name: {phase: median([s[phase] for s in runs]) for phase in runs[0]}
        for name, runs in samples.items()
    }
    return {
        "rounds": rounds,
        "samples": samples,
        "median_seconds": medians,
        "pytest_reported_seconds": pytest_reported,
        "slowest_tests_warmup": slowest,
        "targets_s": {name: variants[name][2] for name in names},
    }


def report_green(result: dict[str, Any]) -> str:
    rows = []
    for name, runs in result["samples"].items():
        totals = [r["total"] for r in runs]
        m = result["median_seconds"][name]
        target = result["targets_s"][name]
        rows.append(
            [
                name,
                f"{m['render']:.1f}",
                f"{m['uv sync']:.1f}",
                f"{m['uv run pytest']:.1f}",
                f"{median(result['pytest_reported_seconds'][name]):.1f}",
                f"{m['total']:.1f}",
                spread(totals, "{:.1f}"),
                f"{target:.0f}",
                verdict(m["total"] <= target),
            ]
        )
    out = table(
        [
            "render -> green tests",
            "render s",
            "sync s",
            "pytest s",
            "(in-pytest s)",
            "total s",
            "range s",
            "target s",
            "",
        ],
        rows,
    )
    for name, lines in result["slowest_tests_warmup"].items():
        if lines:
            out += f"\n  slowest tests, {name} (warm-up run):\n"
            out += "\n".join("    " + line.strip() for line in lines)
    return out
