#!/usr/bin/env python3
"""Benchmarks of the template and of the service it renders.

A script, not a test: it prints figures (medians of several runs; ratios
taken per round from interleaved runs, since the machines are noisy) and
asserts nothing. Four parts:

  render  copier copy time of the default and of the fullest combination,
          next to copier's own time for a one-file template (the floor).
  green   render + `uv sync` + `uv run pytest -q` for the default (sqlite)
          and for postgresql + redis + jwt, on a warm uv cache.
  serve   requests/second, p50/p99 latency, CPU per request and idle RSS of
          the rendered service (one worker, 127.0.0.1) for GET /health/live
          and an authenticated GET /items/{id}, under the same uvicorn
          settings as its floors: a one-route FastAPI app for /health/live,
          and for the item read a bare ASGI app doing the same work with
          asyncpg and PyJWT (raw_items.py) on the same database rows.
  frameworks  the Django, Litestar and Flask flavours measured the same
          way under the server each ships (gunicorn gthread,
          django_servers.py; uvicorn, litestar_servers.py; gunicorn
          gthread, flask_servers.py), printed beside FastAPI's serve
          figures from the same run.

Usage (from the template repository):
    .venv/bin/python benchmarks/run.py [--quick] [--json out.json]

Standard library only. Needs: the template venv's copier, uv, git, and for
`green`/`serve` PostgreSQL and Redis (--database-url, --redis-url). Load comes
from `wrk` when installed, else from a small asyncio keep-alive generator.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from frameworks import bench_django, bench_flask, bench_litestar, report_frameworks
from green import bench_green, report_green
from processes import base_env, cache_bytecode_in, exit_on_signal, find_uv, stop_all
from render import bench_render, report_render
from serve import bench_serve, report_serve
from settings import COPIER, DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, TARGETS, TEMPLATE
from stats import log


def versions() -> dict[str, str]:
    found = {"python (runner)": platform.python_version()}
    for name, cmd in {
        "copier": [str(COPIER), "--version"],
        "uv": [find_uv(), "--version"],
        "wrk": ["wrk", "--version"],
    }.items():
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, env=base_env(), timeout=30)
            found[name] = (proc.stdout or proc.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            found[name] = "unavailable"
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer and shorter runs")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    parser.add_argument(
        "--only",
        action="append",
        choices=["render", "green", "serve", "frameworks"],
        help="run only this part (repeatable)",
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--loadgen", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument(
        "--inherit-bytecode-env",
        action="store_true",
        help="keep PYTHONDONTWRITEBYTECODE etc. as set (default: cache bytecode like users do)",
    )
    args = parser.parse_args(argv)

    parts = args.only or ["render", "green", "serve", "frameworks"]
    quick = args.quick
    plan = {
        "render_rounds": 3 if quick else 9,
        "green_rounds": 1 if quick else 5,
        "serve_rounds": 1 if quick else 5,
        "serve_seconds": 3.0 if quick else 10.0,
        "serve_warmup_seconds": 1.0 if quick else 2.0,
    }

    signal.signal(signal.SIGTERM, exit_on_signal)
    signal.signal(signal.SIGHUP, exit_on_signal)
    atexit.register(stop_all)

    work = Path(tempfile.mkdtemp(prefix="template-bench-"))
    if not args.inherit_bytecode_env:
        cache_bytecode_in(work / "pycache")
    results: dict[str, Any] = {
        "meta": {
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "quick": quick,
            "plan": plan,
            "cpus": os.cpu_count(),
            "load_average_at_start": os.getloadavg(),
            "bytecode": "inherited environment"
            if args.inherit_bytecode_env
            else "cached in a private PYTHONPYCACHEPREFIX",
            "platform": platform.platform(),
            "versions": versions(),
            "template": str(TEMPLATE),
            "work_dir": str(work),
        },
        "targets": TARGETS,
    }
    log(f"work directory: {work}")
    reports: list[tuple[str, str]] = []
    try:
        if "render" in parts:
            results["render"] = bench_render(work, plan["render_rounds"])
            reports.append(("1. CLI render time", report_render(results["render"])))
        if "green" in parts:
            results["green"] = bench_green(
                work, plan["green_rounds"], args.database_url, args.redis_url
            )
            reports.append(
                ("2. Render to green tests (warm uv cache)", report_green(results["green"]))
            )
        if "serve" in parts:
            results["serve"] = bench_serve(
                work,
                plan["serve_rounds"],
                plan["serve_seconds"],
                plan["serve_warmup_seconds"],
                args.connections,
                args.loadgen,
                args.database_url,
                args.redis_url,
            )
            reports.append(("3. Serving (one worker, 127.0.0.1)", report_serve(results["serve"])))
        if "frameworks" in parts:
            results["django"] = bench_django(
                work,
                plan["serve_rounds"],
                plan["serve_seconds"],
                plan["serve_warmup_seconds"],
                args.connections,
                args.loadgen,
                args.database_url,
            )
            results["litestar"] = bench_litestar(
                work,
                plan["serve_rounds"],
                plan["serve_seconds"],
                plan["serve_warmup_seconds"],
                args.connections,
                args.loadgen,
                args.database_url,
                args.redis_url,
            )
            results["flask"] = bench_flask(
                work,
                plan["serve_rounds"],
                plan["serve_seconds"],
                plan["serve_warmup_seconds"],
                args.connections,
                args.loadgen,
                args.database_url,
                args.redis_url,
            )
            reports.append(
                (
                    "4. Frameworks side by side (one worker, 127.0.0.1)",
                    report_frameworks(
                        results.get("serve"),
                        results["django"],
                        results["litestar"],
                        results["flask"],
                    ),
                )
            )
    finally:
        stop_all()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    results["meta"]["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    results["meta"]["load_average_at_end"] = os.getloadavg()
    meta = results["meta"]
    print()
    print(
        f"Benchmarks of {TEMPLATE} ({'quick' if quick else 'full'}; medians;"
        f" ratios are per-round medians of interleaved runs)"
    )
    print(
        f"{meta['cpus']} CPUs, load average {meta['load_average_at_start'][0]:.2f} at start,"
        f" {meta['load_average_at_end'][0]:.2f} at end; bytecode: {meta['bytecode']}"
    )
    print("; ".join(f"{k} {v}" for k, v in meta["versions"].items()))
    for title, body in reports:
        print()
        print(title)
        print(body)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
        print(f"\nJSON written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
