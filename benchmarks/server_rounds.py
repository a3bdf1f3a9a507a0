"""Servers compared in interleaved rounds: what django_servers.py and
litestar_servers.py share.

A subject is one app (the service or a floor) under one server. Each is
started once to check that it answers every endpoint it is measured on (the
item read with the service's own JSON), then all are measured in rounds, in
a different order each round; ratios are taken within a round. CPU, memory
(PSS) and threads are summed over the server's process group, so a server
that runs its app in a child process (granian, gunicorn) is counted whole.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from loadgen import python_load, wrk_load
from processes import Server, http
from stats import log, median, rotated, spread, table

LIVE = "/health/live"
ITEM = "/items/{id}"  # authenticated; the id and token come from the service's log-in

Load = Callable[[str, float, int, dict[str, str]], dict[str, Any]]


class Subject(Protocol):
    """One app under one server: its command for a port, cwd and environment."""

    server: str
    app: str
    command: Callable[[int], list[str]]
    cwd: Path
    env: dict[str, str]

    @property
    def endpoints(self) -> tuple[str, ...]: ...


class Auth(NamedTuple):
    """What the item read needs: the bearer header and the id of an item it owns."""

    headers: dict[str, str]
    item_id: int


def request_for(endpoint: str, auth: Auth) -> tuple[str, dict[str, str]]:
    if endpoint == LIVE:
        return LIVE, {}
    return f"/items/{auth.item_id}", auth.headers


def label(server: str, app: str, endpoint: str) -> str:
    return f"{server} | {app} {endpoint}"


def add_round_arguments(parser: argparse.ArgumentParser) -> None:
    """The measuring flags both scripts take, with the same defaults."""
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=1.5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--loadgen", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")


def choose_load(loadgen: str) -> tuple[Load, str]:
    if loadgen == "wrk" or (loadgen == "auto" and shutil.which("wrk")):
        return wrk_load, "wrk"
    return python_load, "python"


# --------------------------------------------------------------------------
# The process group of a server: CPU, memory, threads


def group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid:
            pids.append(int(entry.name))
    return pids


def group_cpu_seconds(pgid: int) -> float:
    total = 0
    for pid in group_pids(pgid):
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{pid}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _status_field(path: Path, name: str) -> int:
    for line in path.read_text().splitlines():
        if line.startswith(name):
            return int(line.split()[1])
    return 0


def group_pss_kib(pgid: int) -> int:
    """Proportional set size of all the group's processes (shared pages split)."""
    total = 0
    for pid in group_pids(pgid):
        with contextlib.suppress(OSError):
            total += _status_field(Path(f"/proc/{pid}/smaps_rollup"), "Pss:")
    return total


def group_threads(pgid: int) -> int:
    total = 0
    for pid in group_pids(pgid):
        with contextlib.suppress(OSError):
            total += _status_field(Path(f"/proc/{pid}/status"), "Threads:")
    return total


class GroupServer(Server):
    """processes.Server, with CPU, memory and threads summed over its process group."""

    def cpu_seconds(self) -> float:
        assert self.process is not None
        return group_cpu_seconds(self.process.pid)

    def pss_kib(self) -> int:
        assert self.process is not None
        return group_pss_kib(self.process.pid)

    def threads(self) -> int:
        assert self.process is not None
        return group_threads(self.process.pid)


def start(subject: Subject, work: Path, log_name: str) -> GroupServer:
    return GroupServer(
        f"{subject.server} {subject.app}",
        subject.command,
        subject.cwd,
        subject.env,
        work / log_name,
    )


# --------------------------------------------------------------------------
# Measuring


def read_item(base_url: str, auth: Auth) -> Any:
    """The service's answer to the item read: what every floor must answer too."""
    status, body = http("GET", base_url + request_for(ITEM, auth)[0], headers=auth.headers)
    if status != 200:
        raise RuntimeError(f"service item read: {status} {body[:300]!r}")
    return json.loads(body)


def check_answers(
    subjects: Mapping[Any, Subject], work: Path, auth: Auth, expected_item: Any
) -> None:
    """One start of each (bytecode and page caches): every endpoint answers 200,
    and the item read answers the service's JSON, or the floor measures nothing."""
    for key, subject in subjects.items():
        with start(subject, work, "warm-up.log") as server:
            for endpoint in subject.endpoints:
                path, headers = request_for(endpoint, auth)
                status, body = http("GET", server.url + path, headers=headers)
                if status != 200:
                    raise RuntimeError(f"{key} GET {path}: {status} {body[:300]!r}")
                if endpoint == ITEM and json.loads(body) != expected_item:
                    raise RuntimeError(f"{key} answers {body[:300]!r}, the service {expected_item}")


def measure_rounds(
    subjects: Mapping[Any, Subject],
    work: Path,
    auth: Auth,
    args: argparse.Namespace,
    load: Load,
    db_connections: Callable[[], int],
) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, dict[str, Any]]]]:
    """Every subject's endpoints, `args.rounds` times in a rotating order:
    (the runs of each label, each round's figures by label)."""
    records: dict[str, list[dict[str, Any]]] = {}
    rounds_data: list[dict[str, dict[str, Any]]] = []
    order = list(subjects)
    for i in range(args.rounds):
        this_round: dict[str, dict[str, Any]] = {}
        for key in rotated(order, i):
            subject = subjects[key]
            log_name = f"{subject.server}_{subject.app}.log".replace(" ", "_")
            with start(subject, work, log_name) as server:
                # Ready means one /health/live has been answered: let start-up settle.
                time.sleep(1.0)
                idle_pss = server.pss_kib()
                for endpoint in subject.endpoints:
                    name = label(subject.server, subject.app, endpoint)
                    path, headers = request_for(endpoint, auth)
                    load(server.url + path, args.warmup, args.connections, headers)
                    cpu_before = server.cpu_seconds()
                    figures = load(server.url + path, args.seconds, args.connections, headers)
                    cpu = server.cpu_seconds() - cpu_before
                    figures.update(
                        idle_pss_kib=idle_pss,
                        pss_after_kib=server.pss_kib(),
                        threads_after=server.threads(),
                        db_connections=db_connections(),
                        cpu_us_per_request=cpu / max(1, figures["requests"]) * 1e6,
                        server_cpu_share=cpu / args.seconds,
                    )
                    this_round[name] = figures
                    records.setdefault(name, []).append(figures)
                    log_run(f"round {i + 1}/{args.rounds} {name}", figures)
        rounds_data.append(this_round)
    return records, rounds_data


def log_run(title: str, figures: dict[str, Any]) -> None:
    log(
        f"{title}: {figures['rps']:.0f} req/s,"
        f" p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms,"
        f" {figures['cpu_us_per_request']:.0f} us CPU/req"
        f" (busy {figures['server_cpu_share']:.0%}),"
        f" PSS {figures['pss_after_kib'] / 1024:.0f} MiB,"
        f" {figures['threads_after']} threads,"
        f" {figures['db_connections']} db conns"
        + (
            f", {figures['non_2xx']} non-2xx, {figures['socket_errors']} socket errors"
            if figures["non_2xx"] or figures["socket_errors"]
            else ""
        )
    )


def per_round(
    rounds_data: list[dict[str, dict[str, Any]]], top: str, bottom: str, figure: str
) -> list[float]:
    """top / bottom of one figure, in each round that measured both."""
    return [r[top][figure] / r[bottom][figure] for r in rounds_data if top in r and bottom in r]


def medians(records: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, float]]:
    return {
        name: {
            k: median([run_[k] for run_ in runs])
            for k in runs[0]
            if isinstance(runs[0][k], (int, float))
        }
        for name, runs in records.items()
    }


# --------------------------------------------------------------------------
# Report


def report_runs(result: dict[str, Any]) -> str:
    """The runs' medians, then the ratios' per-round medians."""
    conns = result["connections"]
    rows = []
    for name, runs in result["runs"].items():
        m = result["median"][name]
        rows.append([
            name,
            f"{m['rps']:.0f}",
            spread([r["rps"] for r in runs], "{:.0f}"),
            f"{m['p50_ms']:.2f}",
            f"{m['p99_ms']:.2f}",
            f"{m['busy_connections']:.0f}" + ("!" if m["busy_connections"] < 0.9 * conns else ""),
            f"{m['cpu_us_per_request']:.0f}",
            f"{m['server_cpu_share']:.0%}",
            f"{m['idle_pss_kib'] / 1024:.0f}",
            f"{m['pss_after_kib'] / 1024:.0f}",
            f"{m['threads_after']:.0f}",
            f"{m['db_connections']:.0f}",
            f"{m['non_2xx']:.0f}/{m['socket_errors']:.0f}",
        ])  # fmt: skip
    out = table(
        [
            f"1 worker, {conns} conns, {result['seconds_per_run']:.0f} s,"
            f" {result['load_generator']}",
            "req/s", "range", "p50 ms", "p99 ms", "busy conns", "CPU us/req", "busy",
            "PSS idle MiB", "PSS after MiB", "threads", "db conns", "non2xx/err",
        ],
        rows,
    )  # fmt: skip
    out += (
        "\n  CPU, PSS and threads are summed over the server's process group (master and worker)."
        "\n  db conns: PostgreSQL backends on the benchmark database after the run."
        "\n  busy conns: req/s x mean latency (Little's law);"
        " ! marks fewer than 90% of the offered."
    )
    ratio_rows = [[k, f"{median(v):.2f}", spread(v)] for k, v in result["ratios"].items()]
    out += "\n\n" + table(["ratio (per round, median)", "median", "range"], ratio_rows)
    return out


def report_versions(result: dict[str, Any]) -> str:
    return "versions: " + ", ".join(f"{k} {v}" for k, v in result["versions"].items())
