"""Servers compared in interleaved rounds: what django_servers.py,
litestar_servers.py and flask_servers.py share.

A subject is one app (the service or a floor) under one server. Each is
started once to check that it answers every endpoint it is measured on (the
item read with the service's own JSON), then all are measured in rounds, in
a different order each round; ratios are taken within a round. CPU, memory
(PSS) and threads are summed over the server's process group, so a server
that runs its app in a child process (granian, gunicorn) is counted whole.

Also what the scripts do alike around the rounds: re-running in the
project's venv, installing the servers the project lacks, the service's
environment and migrated database, the scratch directory of the floors, the
WSGI servers' command lines, the ratios of each service to its floors and to
the server it ships, the report and the script's frame (signals, work
directory, JSON).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import importlib.util
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from loadgen import python_load, wrk_load
from processes import (
    Server,
    base_env,
    cache_bytecode_in,
    exit_on_signal,
    find_uv,
    http,
    run,
    stop_all,
)
from settings import SLUG
from stats import log, median, rotated, spread, table

HERE = Path(__file__).resolve().parent
LIVE = "/health/live"
ITEM = "/items/{id}"  # authenticated; the id and token come from the service's log-in
SERVICE = "service"  # the rendered service, beside its floors under each server

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
# Set-up: the project's venv and servers, the database, the scratch modules


def venv_python(project: Path) -> Path:
    return project / ".venv" / "bin" / "python"


def run_in_project(project: Path, flavour: str, script: str) -> None:
    """Run `script` again with the project's Python, unless it already runs
    there: the database driver of the set-up and the servers live in that venv."""
    python = venv_python(project)
    if not python.exists():
        raise SystemExit(f"{python} not found: render and sync the {flavour} project first")
    if Path(sys.prefix).resolve() != (project / ".venv").resolve():
        os.execv(str(python), [str(python), str(Path(script).resolve()), *sys.argv[1:]])


def ensure_installed(project: Path, modules: Sequence[str], requirements: Sequence[str]) -> None:
    """The servers compared beside the one the project ships are not its
    dependencies: measuring them installs `requirements` when a module is missing."""
    missing = [m for m in modules if not importlib.util.find_spec(m)]
    if not missing:
        return
    log(f"installing {', '.join(missing)} into {project / '.venv'}")
    run(
        [find_uv(), "pip", "install", "-q", "--python", str(venv_python(project)), *requirements],
        cwd=project,
        env=base_env(),
        timeout=600,
    )
    importlib.invalidate_caches()


def versions(dists: Sequence[str]) -> dict[str, str]:
    """Python's version, each of `dists` installed, and wrk's."""
    from importlib.metadata import version

    found = {"python": sys.version.split()[0]}
    for dist in dists:
        with contextlib.suppress(Exception):
            found[dist] = version(dist)
    with contextlib.suppress(OSError, subprocess.SubprocessError, IndexError):
        proc = subprocess.run(["wrk", "--version"], capture_output=True, text=True, timeout=10)
        found["wrk"] = (proc.stdout or proc.stderr).split()[1]
    return found


class PsycopgDatabase:
    """A private database on the admin URL's server, dropped at the end,
    through psycopg (the driver of the WSGI flavours' projects)."""

    def __init__(self, admin_url: str, flavour: str) -> None:
        import psycopg

        self.admin = psycopg.connect(admin_url, autocommit=True)
        self.name = f"bench_{flavour}_{secrets.token_hex(4)}"
        self.admin.execute(f'CREATE DATABASE "{self.name}"')
        parts = urllib.parse.urlsplit(admin_url)
        self.url = urllib.parse.urlunsplit(parts._replace(path="/" + self.name))

    def connections(self) -> int:
        row = self.admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (self.name,)
        ).fetchone()
        return int(row[0]) if row else 0

    def drop(self) -> None:
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.admin.close()


def prepare(
    project: Path,
    work: Path,
    database_url: str,
    modules: Sequence[str],
    sources: Mapping[str, str] | None = None,
    **settings: str,
) -> dict[str, Any]:
    """Migrate the service's database and fill the scratch directory the
    servers run in (`modules` copied from here, `sources` written): the
    service's environment, the floors', and where each lives."""
    service_env = {
        **base_env(),
        "ENVIRONMENT": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "INFO",
        "ACCESS_TOKEN_EXPIRE_MINUTES": "600",
        # Stopping a server between runs need not wait for load balancers.
        "SHUTDOWN_DRAIN_SECONDS": "0",
        **settings,
    }
    # Outside the project, as the servers run: its .env does not apply.
    run([str(project / ".venv" / "bin" / SLUG), "migrate"], cwd=work, env=service_env, timeout=300)
    scratch = work / "apps"
    scratch.mkdir()
    for module in modules:
        shutil.copyfile(HERE / module, scratch / module)
    for name, source in (sources or {}).items():
        (scratch / name).write_text(source)
    # The floors read the service's database with its signing key; their pools
    # are as large as the service's (the same defaults, set for none).
    ref_env = {
        **base_env(),
        "DATABASE_URL": database_url,
        "SECRET_KEY": service_env["SECRET_KEY"],
    }
    return {
        "project": project,
        "scratch": scratch,
        "service_env": service_env,
        "ref_env": ref_env,
    }


# The service's server.py settings, for the floors under gunicorn.
GUNICORN_THREADS = 4
GUNICORN_TIMEOUT = 30


def gunicorn_command(bin_: Path, worker: str, target: str) -> Callable[[int], list[str]]:
    """gunicorn's own command line for a WSGI `target` (module:callable), one
    worker with server.py's threads (gthread) or one thread (sync)."""
    threads = GUNICORN_THREADS if worker == "gthread" else 1
    return lambda port: [
        str(bin_ / "gunicorn"), "-k", worker, "--threads", str(threads), "-w", "1",
        "--timeout", str(GUNICORN_TIMEOUT), "--graceful-timeout", str(GUNICORN_TIMEOUT),
        "-b", f"127.0.0.1:{port}", target,
    ]  # fmt: skip


def granian_wsgi_command(bin_: Path, target: str, *extra: str) -> Callable[[int], list[str]]:
    """granian serving a WSGI `target`, one worker, its defaults but for `extra`."""
    return lambda port: [
        str(bin_ / "granian"), "--interface", "wsgi", "--host", "127.0.0.1",
        "--port", str(port), "--workers", "1", *extra, target,
    ]  # fmt: skip


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


class Floors(NamedTuple):
    """The apps beside a service under each server, by their labels."""

    mini: str  # the one-route (or one-view) app of the framework
    mini_named: str  # how ratios name it: "one-route Litestar"
    bare: str  # the bare app of the same interface on the raw driver
    orm: str  # the item read on the framework and its ORM alone


def _add_ratio(
    ratios: dict[str, list[float]],
    rounds_data: list[dict[str, dict[str, Any]]],
    name: str,
    top: str,
    bottom: str,
    figure: str,
) -> None:
    values = per_round(rounds_data, top, bottom, figure)
    if values:
        ratios[name] = values


def floor_ratios(
    rounds_data: list[dict[str, dict[str, Any]]],
    server: str,
    floors: Floors,
    floors_under: str | None = None,
) -> dict[str, list[float]]:
    """The service under `server` next to its floors (under `floors_under`,
    by default the same server): /health/live next to the one-route app, the
    item read next to the raw driver and to the framework and ORM alone."""
    under = floors_under or server
    service_live, service_item = label(server, SERVICE, LIVE), label(server, SERVICE, ITEM)
    mini_live = label(under, floors.mini, LIVE)
    bare_live, bare_item = label(under, floors.bare, LIVE), label(under, floors.bare, ITEM)
    orm_item = label(under, floors.orm, ITEM)
    mini, bare, orm = floors.mini_named, floors.bare, floors.orm
    comparisons = [
        (f"service live / {mini} live, req/s", service_live, mini_live, "rps"),
        (f"service live / {mini} live, CPU/req", service_live, mini_live, "cpu_us_per_request"),
    ]
    if under == server:
        # The framework's cost over the server's own: once per server of the floors.
        comparisons.append((f"{mini} live / {bare} live, req/s", mini_live, bare_live, "rps"))
    comparisons += [
        (f"service item / {bare} item, req/s", service_item, bare_item, "rps"),
        (f"{orm} item / {bare} item, req/s", orm_item, bare_item, "rps"),
        (f"service item / {orm} item, req/s", service_item, orm_item, "rps"),
        (f"service item / {bare} item, p99", service_item, bare_item, "p99_ms"),
        (
            f"service item / {bare} item, CPU/req",
            service_item,
            bare_item,
            "cpu_us_per_request",
        ),
    ]
    ratios: dict[str, list[float]] = {}
    for name, top, bottom, figure in comparisons:
        _add_ratio(ratios, rounds_data, f"{server}: {name}", top, bottom, figure)
    return ratios


def server_ratios(
    rounds_data: list[dict[str, dict[str, Any]]],
    servers: Sequence[str],
    reference: str,
    apps: Mapping[str, Sequence[str]],
) -> dict[str, list[float]]:
    """Each of `apps` under each other server next to the same app under
    `reference`: the service's req/s, p99 and CPU per request, the floors'
    req/s (does a server's gain survive the app's own cost?)."""
    ratios: dict[str, list[float]] = {}
    for s in servers:
        if s == reference:
            continue
        for app, endpoints in apps.items():
            figures = (
                [("rps", "req/s"), ("p99_ms", "p99"), ("cpu_us_per_request", "CPU/req")]
                if app == SERVICE
                else [("rps", "req/s")]
            )
            for endpoint in endpoints:
                for figure, short in figures:
                    _add_ratio(
                        ratios,
                        rounds_data,
                        f"{app} {endpoint} {short}: {s} / {reference}",
                        label(s, app, endpoint),
                        label(reference, app, endpoint),
                        figure,
                    )
    return ratios


def result_of(
    args: argparse.Namespace,
    loadgen: str,
    dists: Sequence[str],
    records: dict[str, list[dict[str, Any]]],
    ratios: dict[str, list[float]],
) -> dict[str, Any]:
    """What a script prints and writes as JSON."""
    return {
        "rounds": args.rounds,
        "seconds_per_run": args.seconds,
        "connections": args.connections,
        "load_generator": loadgen,
        "versions": versions(dists),
        "runs": records,
        "median": medians(records),
        "ratios": ratios,
        "median_ratios": {k: median(v) for k, v in ratios.items()},
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


# --------------------------------------------------------------------------
# The script's frame


def run_script(
    args: argparse.Namespace,
    flavour: str,
    bench: Callable[[argparse.Namespace, Path, Path], dict[str, Any]],
    report: Callable[[dict[str, Any]], str],
) -> int:
    """Measure in a fresh work directory (bytecode cached there, servers killed
    on any exit), print the report, write the JSON when asked."""
    signal.signal(signal.SIGTERM, exit_on_signal)
    signal.signal(signal.SIGHUP, exit_on_signal)
    atexit.register(stop_all)
    work = Path(tempfile.mkdtemp(prefix=f"{flavour}-servers-"))
    cache_bytecode_in(work / "pycache")
    started = time.monotonic()
    try:
        result = bench(args, args.project.resolve(), work)
    finally:
        stop_all()
    result["elapsed_seconds"] = time.monotonic() - started
    print(report(result))
    print(f"\n(total {result['elapsed_seconds']:.0f} s; server logs in {work})")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str))
    return 0
