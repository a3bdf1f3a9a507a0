"""Part 3, serving.

Requests/second, p50/p99 latency, server CPU per request and idle RSS of the
rendered service (one worker, 127.0.0.1) for GET /health/live and an
authenticated GET /items/{id}, next to the reference apps (see subjects.py).
Ratios are taken per round of interleaved runs.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from loadgen import python_load, wrk_load
from processes import CommandError, Server
from settings import TARGETS
from stats import log, median, rotated, spread, table, verdict
from subjects import log_in, prepare_service, server_subjects


def bench_serve(
    work: Path,
    rounds: int,
    seconds: float,
    warmup: float,
    connections: int,
    loadgen: str,
    database_url: str,
    redis_url: str,
) -> dict[str, Any]:
    if loadgen == "auto":
        loadgen = "wrk" if shutil.which("wrk") else "python"
    load = wrk_load if loadgen == "wrk" else python_load
    log(f"serve: load generator {loadgen}, {connections} connections, {seconds:.0f} s per run")

    setup = prepare_service(work, database_url, redis_url)
    subjects = server_subjects(setup)
    auth: dict[str, Any] = {}
    records: dict[str, list[dict[str, Any]]] = {}
    rounds_data: list[dict[str, dict[str, Any]]] = []
    try:
        # One start of each first: writes bytecode caches, fills page caches.
        for name, (cmd, cwd, env) in subjects.items():
            with Server(name, cmd, cwd, env, work / "warm-up.log"):
                pass
        for i in range(rounds):
            this_round: dict[str, dict[str, Any]] = {}
            for name in rotated(list(subjects), i):
                cmd, cwd, env = subjects[name]
                with Server(name, cmd, cwd, env, work / f"{name.replace(' ', '_')}.log") as server:
                    # Ready means one /health/live has been answered.
                    time.sleep(1.0)
                    idle = server.rss_kib()
                    endpoints = [("/health/live", "/health/live", {})]
                    if name == "service":
                        if not auth:
                            auth["headers"], auth["item_id"] = log_in(server.url)
                        path = f"/items/{auth['item_id']}"
                        endpoints.append(("/items/{id}", path, auth["headers"]))
                    for shown, path, headers in endpoints:
                        label = f"{name} {shown}"
                        load(server.url + path, warmup, connections, headers)
                        cpu_before = server.cpu_seconds()
                        figures = load(server.url + path, seconds, connections, headers)
                        cpu = server.cpu_seconds() - cpu_before
                        figures.update(
                            idle_rss_kib=idle,
                            start_seconds=server.start_seconds,
                            # Server CPU per answered request: steadier than
                            # req/s when other work shares the machine.
                            cpu_us_per_request=cpu / max(1, figures["requests"]) * 1e6,
                            server_cpu_share=cpu / seconds,
                        )
                        this_round[label] = figures
                        records.setdefault(label, []).append(figures)
                        log(
                            f"serve: round {i + 1}/{rounds} {label}: {figures['rps']:.0f} req/s,"
                            f" p99 {figures['p99_ms']:.1f} ms,"
                            f" {figures['cpu_us_per_request']:.0f} us CPU/req"
                            f" (server busy {figures['server_cpu_share']:.0%}),"
                            f" idle RSS {idle / 1024:.1f} MiB"
                            + (
                                f", {figures['non_2xx']} non-2xx,"
                                f" {figures['socket_errors']} socket errors"
                                if figures["non_2xx"] or figures["socket_errors"]
                                else ""
                            )
                        )
                    this_round[f"{name} /health/live"]["rss_after_load_kib"] = server.rss_kib()
            rounds_data.append(this_round)
    finally:
        try:
            setup["drop"]()
        except CommandError as error:
            log(f"serve: could not drop the benchmark database: {error}")

    live, items = "service /health/live", "service /items/{id}"
    bare, minimal = "bare ASGI /health/live", "minimal FastAPI /health/live"
    libs = "minimal FastAPI+libs /health/live"
    # (label, numerator subject, denominator subject, figure), one ratio per round.
    comparisons = [
        ("service live rps / bare ASGI rps", live, bare, "rps"),
        ("service live rps / minimal FastAPI rps", live, minimal, "rps"),
        ("minimal FastAPI rps / bare ASGI rps", minimal, bare, "rps"),
        ("service live CPU/req / bare ASGI CPU/req", live, bare, "cpu_us_per_request"),
        ("service live CPU/req / minimal FastAPI CPU/req", live, minimal, "cpu_us_per_request"),
        ("service items rps / service live rps", items, live, "rps"),
        ("service idle RSS / minimal FastAPI idle RSS", live, minimal, "idle_rss_kib"),
        ("service idle RSS / minimal FastAPI+libs idle RSS", live, libs, "idle_rss_kib"),
        ("minimal FastAPI idle RSS / bare ASGI idle RSS", minimal, bare, "idle_rss_kib"),
    ]
    ratios = {
        label: [r[top][figure] / r[bottom][figure] for r in rounds_data]
        for label, top, bottom, figure in comparisons
    }
    summary = {
        label: {
            key: median([run[key] for run in runs])
            for key in runs[0]
            if isinstance(runs[0][key], (int, float))
        }
        for label, runs in records.items()
    }
    return {
        "rounds": rounds,
        "seconds_per_run": seconds,
        "connections": connections,
        "load_generator": loadgen,
        "runs": records,
        "median": summary,
        "ratios": ratios,
        "median_ratios": {k: median(v) for k, v in ratios.items()},
        "targets": {
            "service live rps / bare ASGI rps >=": TARGETS["live_vs_bare_min"],
            "service idle RSS / minimal FastAPI idle RSS <=": TARGETS["rss_vs_minimal_max"],
        },
    }


def report_serve(result: dict[str, Any]) -> str:
    rows = []
    for label, runs in result["runs"].items():
        m = result["median"][label]
        rows.append(
            [
                label,
                f"{m['rps']:.0f}",
                spread([r["rps"] for r in runs], "{:.0f}"),
                f"{m['p50_ms']:.2f}",
                f"{m['p99_ms']:.2f}",
                f"{m['cpu_us_per_request']:.0f}",
                f"{m['server_cpu_share']:.0%}" + ("*" if m["server_cpu_share"] < 0.8 else ""),
                f"{m['idle_rss_kib'] / 1024:.1f}",
                f"{m['rss_after_load_kib'] / 1024:.1f}" if "rss_after_load_kib" in m else "",
                f"{m['start_seconds']:.2f}",
                f"{m['non_2xx']:.0f}/{m['socket_errors']:.0f}",
            ]
        )
    out = table(
        [
            f"1 worker, {result['connections']} conns,"
            f" {result['seconds_per_run']:.0f} s, {result['load_generator']}",
            "req/s",
            "range",
            "p50 ms",
            "p99 ms",
            "CPU us/req",
            "busy",
            "idle RSS MiB",
            "RSS after MiB",
            "start s",
            "non2xx/err",
        ],
        rows,
    )
    if any(m["server_cpu_share"] < 0.8 for m in result["median"].values()):
        out += (
            "\n  * server busy < 80%: the load generator or the machine, not the server, set"
            " that req/s;\n    CPU us/req is the steadier comparison there."
        )
    checks = {
        "service live rps / bare ASGI rps": (">=", TARGETS["live_vs_bare_min"]),
        "service idle RSS / minimal FastAPI idle RSS": ("<=", TARGETS["rss_vs_minimal_max"]),
    }
    ratio_rows = []
    for name, values in result["ratios"].items():
        value = median(values)
        check = ""
        if name in checks:
            op, limit = checks[name]
            ok = value >= limit if op == ">=" else value <= limit
            check = f"{op} {limit}  {verdict(ok)}"
        ratio_rows.append([name, f"{value:.2f}", spread(values), check])
    out += "\n\n" + table(["ratio (per round, median)", "median", "range", "target"], ratio_rows)
    return out
