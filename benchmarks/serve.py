"""Part 3, serving.

Requests/second, p50/p99 latency, server CPU per request and idle RSS of the
rendered service (one worker, 127.0.0.1) for GET /health/live and an
authenticated GET /items/{id}, next to the reference apps (see subjects.py):
/health/live next to a one-route FastAPI app, the item read next to a bare
ASGI app doing the same work with asyncpg and PyJWT on the same database rows.
Ratios are taken per round of interleaved runs.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

from loadgen import python_load, wrk_load
from processes import CommandError, Server, http
from settings import TARGETS
from stats import log, median, rotated, spread, table, verdict
from subjects import ITEM, LIVE, ORM, RAW, SERVICE, log_in, prepare_service, server_subjects

LIVE_LABEL, ITEMS_LABEL, RAW_LABEL = f"{SERVICE} {LIVE}", f"{SERVICE} {ITEM}", f"{RAW} {ITEM}"
ORM_LABEL = f"{ORM} {ITEM}"
BARE, MINIMAL = f"bare ASGI {LIVE}", f"minimal FastAPI {LIVE}"
LIBS = f"minimal FastAPI+libs {LIVE}"

# (label, numerator run, denominator run, figure): one ratio per round.
COMPARISONS = [
    ("service items rps / raw asyncpg items rps", ITEMS_LABEL, RAW_LABEL, "rps"),
    ("service items p99 / raw asyncpg items p99", ITEMS_LABEL, RAW_LABEL, "p99_ms"),
    (
        "service items CPU/req / raw asyncpg CPU/req",
        ITEMS_LABEL,
        RAW_LABEL,
        "cpu_us_per_request",
    ),
    # The item read's cost split in two: the framework and ORM, then the template.
    ("FastAPI+SQLAlchemy items rps / raw asyncpg items rps", ORM_LABEL, RAW_LABEL, "rps"),
    ("service items rps / FastAPI+SQLAlchemy items rps", ITEMS_LABEL, ORM_LABEL, "rps"),
    ("service live rps / minimal FastAPI rps", LIVE_LABEL, MINIMAL, "rps"),
    ("service live CPU/req / minimal FastAPI CPU/req", LIVE_LABEL, MINIMAL, "cpu_us_per_request"),
    ("service live rps / bare ASGI rps", LIVE_LABEL, BARE, "rps"),
    ("minimal FastAPI rps / bare ASGI rps", MINIMAL, BARE, "rps"),
    ("service items rps / service live rps", ITEMS_LABEL, LIVE_LABEL, "rps"),
    ("service idle RSS / minimal FastAPI idle RSS", LIVE_LABEL, MINIMAL, "idle_rss_kib"),
    ("service idle RSS / minimal FastAPI+libs idle RSS", LIVE_LABEL, LIBS, "idle_rss_kib"),
    ("minimal FastAPI idle RSS / bare ASGI idle RSS", MINIMAL, BARE, "idle_rss_kib"),
]
CHECKS = {
    "service items rps / raw asyncpg items rps": (">=", TARGETS["items_vs_raw_min"]),
    "service live rps / minimal FastAPI rps": (">=", TARGETS["live_vs_minimal_min"]),
    "service idle RSS / minimal FastAPI idle RSS": ("<=", TARGETS["rss_vs_minimal_max"]),
}


def same_item(service_url: str, other_url: str, path: str, headers: dict[str, str]) -> None:
    """A reference app must answer the item read as the service does, or it measures nothing."""
    answers = []
    for url in (service_url, other_url):
        status, body = http("GET", url + path, headers=headers)
        if status != 200:
            raise RuntimeError(f"GET {path} on {url}: {status} {body[:300]!r}")
        answers.append(json.loads(body))
    if answers[0] != answers[1]:
        raise RuntimeError(f"{other_url} answers {answers[1]}, the service {answers[0]}")


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

    def request_for(endpoint: str) -> tuple[str, dict[str, str]]:
        if endpoint == LIVE:
            return LIVE, {}
        return f"/items/{auth['item_id']}", auth["headers"]

    def start(name: str, log_name: str) -> Server:
        subject = subjects[name]
        return Server(name, subject.command, subject.cwd, subject.env, work / log_name)

    try:
        # One start of each first: writes bytecode caches, fills page caches.
        # The service comes first: its log-in creates the user and the item.
        for name in subjects:
            with start(name, "warm-up.log") as server:
                if name == SERVICE:
                    auth["headers"], auth["item_id"] = log_in(server.url)
        for floor in (RAW, ORM):
            with start(SERVICE, "warm-up.log") as service, start(floor, "warm-up.log") as other:
                same_item(service.url, other.url, *request_for(ITEM))
        for i in range(rounds):
            this_round: dict[str, dict[str, Any]] = {}
            for name in rotated(list(subjects), i):
                subject = subjects[name]
                with start(name, f"{name.replace(' ', '_')}.log") as server:
                    # Ready means one /health/live has been answered.
                    time.sleep(1.0)
                    idle = server.rss_kib()
                    labels = []
                    for endpoint in subject.endpoints:
                        label = f"{name} {endpoint}"
                        labels.append(label)
                        path, headers = request_for(endpoint)
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
                            f" p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms,"
                            f" {figures['busy_connections']:.0f}/{connections} connections busy,"
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
                    this_round[labels[0]]["rss_after_load_kib"] = server.rss_kib()
            rounds_data.append(this_round)
    finally:
        try:
            setup["drop"]()
        except CommandError as error:
            log(f"serve: could not drop the benchmark database: {error}")

    ratios = {
        label: [r[top][figure] / r[bottom][figure] for r in rounds_data]
        for label, top, bottom, figure in COMPARISONS
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
        "targets": {f"{name} {op}": limit for name, (op, limit) in CHECKS.items()},
    }


def stalled(figures: dict[str, Any], connections: int) -> bool:
    """Fewer connections had a request outstanding than were offered (Little's law)."""
    return figures["busy_connections"] < 0.9 * connections


def report_serve(result: dict[str, Any]) -> str:
    connections = result["connections"]
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
                f"{m['busy_connections']:.0f}" + ("!" if stalled(m, connections) else ""),
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
            "busy conns",
            "CPU us/req",
            "busy",
            "idle RSS MiB",
            "RSS after MiB",
            "start s",
            "non2xx/err",
        ],
        rows,
    )
    if any(stalled(m, connections) for m in result["median"].values()):
        out += (
            f"\n  ! req/s x mean latency says fewer than {connections} connections had a request"
            " outstanding:\n    some requests waited (starved) for most of the run, and wrk leaves"
            " requests unanswered\n    at the end out of p50/p99, which then look better than they"
            " were."
        )
    if any(m["server_cpu_share"] < 0.8 for m in result["median"].values()):
        out += (
            "\n  * server busy < 80%: the load generator or the machine, not the server, set"
            " that req/s;\n    CPU us/req is the steadier comparison there."
        )
    out += (
        "\n  The service logs one JSON access line per request (LOG_LEVEL=INFO, to a discarded"
        " stdout);\n  the reference apps log nothing. The raw asyncpg and FastAPI+SQLAlchemy apps"
        " read the same rows\n  with the same token."
    )
    ratio_rows = []
    for name, values in result["ratios"].items():
        value = median(values)
        check = ""
        if name in CHECKS:
            op, limit = CHECKS[name]
            ok = value >= limit if op == ">=" else value <= limit
            check = f"{op} {limit}  {verdict(ok)}"
        ratio_rows.append([name, f"{value:.2f}", spread(values), check])
    out += "\n\n" + table(["ratio (per round, median)", "median", "range", "target"], ratio_rows)
    return out
