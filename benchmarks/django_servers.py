#!/usr/bin/env python3
"""Which server the Django flavour should run under: one worker each, 127.0.0.1.

A script, not a test: it prints figures (medians of interleaved rounds; ratios
taken within each round) and asserts nothing. For the rendered Django + DRF
service (framework=django, database=postgresql) it measures requests/second,
p50/p99 latency, server CPU per request (all processes of the server: master
and worker), memory (PSS of the process group), threads and PostgreSQL
connections held, for GET /health/live and the authenticated GET /items/{id},
under:

  gunicorn gthread    the service's own `acme-orders serve` (server.py: gthread,
                      4 threads per worker)
  gunicorn sync       server.py's configuration with the sync worker (1 thread)
  granian             `granian --interface wsgi` on config/wsgi.py, its defaults
                      (WSGI blocking threads: backpressure / 2 = 512)
  granian 4 threads   the same with --blocking-threads 4 (gthread's thread count)
  uvicorn             Django's ASGI application (uvloop, httptools): DRF's sync
                      views run in a thread through asgiref's sync_to_async

next to the floors under the same server: django_mini.py (one JSON view, no
middleware) for /health/live, and bare_wsgi_items.py (bare WSGI, psycopg and
PyJWT, the same rows and token; under uvicorn through its WSGI interface) for
the item read and for the server's own floor on /health/live; drf_items.py
(one DRF view on the Django ORM, no template code) splits the item read into
what the framework costs and what the template adds. Then, once per
server, what it does with requests in flight on SIGTERM (django_mini.py's
/slow view: 3 requests of 2 s and one idle keep-alive connection).

Usage (the project rendered with framework=django, database=postgresql):
    python3 benchmarks/django_servers.py --project /tmp/bench-django [--json out.json]

It re-runs itself with the project's Python (psycopg is needed), installs
granian and uvicorn[standard] into the project's venv when missing (`uv pip`),
and uses a private database on --database-url's server, dropped at the end.
Load comes from `wrk` (one thread: the other core is the server's).
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
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from processes import (  # noqa: E402
    base_env,
    cache_bytecode_in,
    exit_on_signal,
    find_uv,
    http,
    run,
    stop_all,
)
from server_rounds import (  # noqa: E402
    ITEM,
    LIVE,
    Auth,
    GroupServer,
    add_round_arguments,
    check_answers,
    choose_load,
    label,
    measure_rounds,
    medians,
    per_round,
    read_item,
    report_runs,
    report_versions,
    start,
)
from stats import log, median, table  # noqa: E402
from subjects import log_in  # noqa: E402

SLUG = "acme-orders"
PACKAGE = "acme_orders"
SERVICE, MINI, BARE = "service", "Django one-view", "bare WSGI"
# The item read on DRF and the ORM alone (drf_items.py): what the framework costs.
DRF = "Django+DRF"
GTHREAD, SYNC, GRANIAN, GRANIAN4, UVICORN, UVICORN0 = (
    "gunicorn gthread",
    "gunicorn sync",
    "granian",
    "granian 4 threads",
    "uvicorn",
    "uvicorn CONN_MAX_AGE=0",
)
SERVERS = [GTHREAD, SYNC, GRANIAN, GRANIAN4, UVICORN, UVICORN0]
APPS = {SERVICE: (LIVE, ITEM), MINI: (LIVE,), BARE: (LIVE, ITEM), DRF: (ITEM,)}
# The service alone, with database connections closed after each request
# (DATABASE_CONN_MAX_AGE=0, what Django advises under ASGI); its floors are
# uvicorn's.
ONLY_SERVICE = {UVICORN0}
FLOOR_SERVER = {UVICORN0: UVICORN}
# server.py's settings, for the reference apps under gunicorn.
GUNICORN_THREADS = 4
GUNICORN_TIMEOUT = 30

# uvicorn as the FastAPI flavour runs it (subjects.py's LAUNCHER), plus the
# interface: Django's ASGI application, or a WSGI app in uvicorn's thread pool.
UVICORN_LAUNCHER = """\
import sys

import uvicorn

uvicorn.run(
    sys.argv[1],
    host="127.0.0.1",
    port=int(sys.argv[2]),
    interface=sys.argv[3],
    workers=1,
    loop="uvloop",
    http="httptools",
    lifespan="off",  # Django's ASGI handler has none
    log_config=None,
    access_log=False,
    server_header=False,
    proxy_headers=True,
)
"""

# server.py's gunicorn application and arbiter, only the worker class changed
# (a sync worker needs threads=1, or gunicorn silently picks gthread).
GUNICORN_VARIANT = """\
import os
import sys

from acme_orders import server
from acme_orders.logs import configure_logging
from acme_orders.settings import get_settings

WORKER_CLASS = os.environ["BENCH_WORKER_CLASS"]


class Variant(server.Server):
    def load_config(self):
        super().load_config()
        self.cfg.set("worker_class", WORKER_CLASS)
        if WORKER_CLASS == "sync":
            self.cfg.set("threads", 1)


settings = get_settings()
configure_logging(settings.log_level)
server.DrainingArbiter(Variant(settings)).run()
sys.exit(0)
"""


# --------------------------------------------------------------------------
# Set-up: the project, its database, the scratch modules


def venv_python(project: Path) -> Path:
    return project / ".venv" / "bin" / "python"


def ensure_servers_installed(project: Path) -> None:
    missing = [
        m for m in ("granian", "uvicorn", "uvloop", "httptools") if not importlib.util.find_spec(m)
    ]
    if missing:
        log(f"installing {', '.join(missing)} into {project / '.venv'}")
        run(
            [
                find_uv(),
                "pip",
                "install",
                "-q",
                "--python",
                str(venv_python(project)),
                "granian",
                "uvicorn[standard]",
            ],
            cwd=project,
            env=base_env(),
            timeout=600,
        )
        importlib.invalidate_caches()


def versions(project: Path) -> dict[str, str]:
    from importlib.metadata import version

    found = {"python": sys.version.split()[0]}
    for dist in (
        "django",
        "djangorestframework",
        "gunicorn",
        "granian",
        "uvicorn",
        "psycopg",
        "asgiref",
    ):
        with contextlib.suppress(Exception):
            found[dist] = version(dist)
    with contextlib.suppress(OSError, subprocess.SubprocessError, IndexError):
        proc = subprocess.run(["wrk", "--version"], capture_output=True, text=True, timeout=10)
        found["wrk"] = (proc.stdout or proc.stderr).split()[1]
    return found


class Database:
    """A private database on the admin URL's server, dropped at the end."""

    def __init__(self, admin_url: str) -> None:
        import psycopg

        self.admin = psycopg.connect(admin_url, autocommit=True)
        self.name = f"bench_django_{secrets.token_hex(4)}"
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


def service_asgi_source(project: Path) -> str:
    """The project's config/asgi.py, or one made from its wsgi.py."""
    config = project / "src" / PACKAGE / "config"
    if (config / "asgi.py").exists():
        return f"from {PACKAGE}.config.asgi import application  # noqa: F401\n"
    source = (config / "wsgi.py").read_text()
    if "get_wsgi_application" not in source:
        raise SystemExit(f"cannot make an ASGI module from {config / 'wsgi.py'}")
    return source.replace("django.core.wsgi", "django.core.asgi").replace(
        "get_wsgi_application", "get_asgi_application"
    )


class Subject:
    """One app under one server: its command for a port, cwd and environment."""

    def __init__(self, server: str, app: str, setup: dict[str, Any]) -> None:
        self.server, self.app = server, app
        project, scratch, bin_ = (
            setup["project"],
            setup["scratch"],
            setup["project"] / ".venv" / "bin",
        )
        python = str(bin_ / "python")
        self.cwd = scratch
        self.env = dict(setup["service_env"] if app == SERVICE else setup["ref_env"])
        wsgi = {
            SERVICE: f"{PACKAGE}.config.wsgi:application",
            MINI: "django_mini:application",
            BARE: "bare_wsgi_items:application",
            DRF: "drf_items:application",
        }[app]
        asgi, interface = {
            SERVICE: ("service_asgi:application", "asgi3"),
            MINI: ("django_mini:asgi_application", "asgi3"),
            BARE: ("bare_wsgi_items:application", "wsgi"),
            DRF: ("drf_items:asgi_application", "asgi3"),
        }[app]

        def gunicorn(worker: str) -> Callable[[int], list[str]]:
            threads = GUNICORN_THREADS if worker == "gthread" else 1
            return lambda port: [
                str(bin_ / "gunicorn"), "-k", worker, "--threads", str(threads), "-w", "1",
                "--timeout", str(GUNICORN_TIMEOUT), "--graceful-timeout", str(GUNICORN_TIMEOUT),
                "-b", f"127.0.0.1:{port}", wsgi,
            ]  # fmt: skip

        def granian(*extra: str) -> Callable[[int], list[str]]:
            return lambda port: [
                str(bin_ / "granian"), "--interface", "wsgi", "--host", "127.0.0.1",
                "--port", str(port), "--workers", "1", *extra, wsgi,
            ]  # fmt: skip

        if server == GTHREAD:
            # The console script itself (what `uv run acme-orders serve` runs).
            self.command = (
                (lambda _port: [str(bin_ / SLUG), "serve"])
                if app == SERVICE
                else gunicorn("gthread")
            )
        elif server == SYNC:
            if app == SERVICE:
                self.command = lambda _port: [python, "gunicorn_variant.py"]
                self.env["BENCH_WORKER_CLASS"] = "sync"
            else:
                self.command = gunicorn("sync")
        elif server == GRANIAN:
            self.command = granian()
        elif server == GRANIAN4:
            self.command = granian("--blocking-threads", "4")
        elif server in (UVICORN, UVICORN0):
            if server == UVICORN0:
                self.env["DATABASE_CONN_MAX_AGE"] = "0"
            self.command = lambda port: [python, "uvicorn_launcher.py", asgi, str(port), interface]
        else:
            raise ValueError(server)
        del project

    @property
    def endpoints(self) -> tuple[str, ...]:
        return APPS[self.app]


def prepare(project: Path, work: Path, admin_url: str) -> dict[str, Any]:
    db = Database(admin_url)
    env = base_env()
    service_env = {
        **env,
        "ENVIRONMENT": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
        "DATABASE_URL": db.url,
        "LOG_LEVEL": "INFO",
        "ACCESS_TOKEN_EXPIRE_MINUTES": "600",
        # Stopping a server between runs need not wait for load balancers.
        "SHUTDOWN_DRAIN_SECONDS": "0",
    }
    run([str(project / ".venv" / "bin" / SLUG), "migrate"], cwd=work, env=service_env, timeout=120)
    scratch = work / "apps"
    scratch.mkdir()
    (scratch / "service_asgi.py").write_text(service_asgi_source(project))
    (scratch / "uvicorn_launcher.py").write_text(UVICORN_LAUNCHER)
    (scratch / "gunicorn_variant.py").write_text(GUNICORN_VARIANT)
    shutil.copyfile(HERE / "django_mini.py", scratch / "django_mini.py")
    shutil.copyfile(HERE / "bare_wsgi_items.py", scratch / "bare_wsgi_items.py")
    shutil.copyfile(HERE / "drf_items.py", scratch / "drf_items.py")
    ref_env = {**env, "DATABASE_URL": db.url, "SECRET_KEY": service_env["SECRET_KEY"]}
    return {
        "project": project,
        "scratch": scratch,
        "db": db,
        "service_env": service_env,
        "ref_env": ref_env,
    }


# --------------------------------------------------------------------------
# Measuring


def bench(args: argparse.Namespace, project: Path, work: Path) -> dict[str, Any]:
    load, loadgen = choose_load(args.loadgen)
    setup = prepare(project, work, args.database_url)
    db: Database = setup["db"]
    servers = [s for s in SERVERS if s in args.servers]
    subjects = {
        (s, a): Subject(s, a, setup)
        for s in servers
        for a in APPS
        if a == SERVICE or s not in ONLY_SERVICE
    }

    try:
        log(
            f"django-servers: {loadgen}, {args.connections} connections, {args.seconds:.0f} s runs"
            f" (+{args.warmup:.0f} s warm-up), {args.rounds} rounds, servers: {', '.join(servers)}"
        )
        # The service under its own server first: its log-in makes the user
        # and the item.
        first = (GTHREAD, SERVICE) if GTHREAD in servers else (servers[0], SERVICE)
        with start(subjects[first], work, "warm-up.log") as server:
            auth = Auth(*log_in(server.url))
            expected = read_item(server.url, auth)
        check_answers(subjects, work, auth, expected)
        log(
            "django-servers: every server answers both endpoints;"
            " the floors answer the service's JSON"
        )
        records, rounds_data = measure_rounds(subjects, work, auth, args, load, db.connections)
        shutdown = {}
        if not args.skip_shutdown:
            for server_name in servers:
                if server_name in ONLY_SERVICE:
                    continue
                shutdown[server_name] = shutdown_probe(
                    start(subjects[(server_name, MINI)], work, "shutdown.log")
                )
                log(f"shutdown {server_name}: {shutdown[server_name]}")
    finally:
        try:
            db.drop()
        except Exception as error:
            log(f"could not drop the benchmark database {db.name}: {error}")

    ratios: dict[str, list[float]] = {}

    def add_ratio(name: str, top: str, bottom: str, figure: str) -> None:
        values = per_round(rounds_data, top, bottom, figure)
        if values:
            ratios[name] = values

    for s in servers:
        f = FLOOR_SERVER.get(s, s)
        add_ratio(
            f"{s}: service live / one-view Django live, req/s",
            label(s, SERVICE, LIVE),
            label(f, MINI, LIVE),
            "rps",
        )
        add_ratio(
            f"{s}: service live / one-view Django live, CPU/req",
            label(s, SERVICE, LIVE),
            label(f, MINI, LIVE),
            "cpu_us_per_request",
        )
        if s == f:
            add_ratio(
                f"{s}: one-view Django live / bare WSGI live, req/s",
                label(s, MINI, LIVE),
                label(s, BARE, LIVE),
                "rps",
            )
        add_ratio(
            f"{s}: service item / bare WSGI item, req/s",
            label(s, SERVICE, ITEM),
            label(f, BARE, ITEM),
            "rps",
        )
        add_ratio(
            f"{s}: Django+DRF item / bare WSGI item, req/s",
            label(f, DRF, ITEM),
            label(f, BARE, ITEM),
            "rps",
        )
        add_ratio(
            f"{s}: service item / Django+DRF item, req/s",
            label(s, SERVICE, ITEM),
            label(f, DRF, ITEM),
            "rps",
        )
        add_ratio(
            f"{s}: service item / bare WSGI item, p99",
            label(s, SERVICE, ITEM),
            label(f, BARE, ITEM),
            "p99_ms",
        )
        add_ratio(
            f"{s}: service item / bare WSGI item, CPU/req",
            label(s, SERVICE, ITEM),
            label(f, BARE, ITEM),
            "cpu_us_per_request",
        )
    for s in servers:
        if s == GTHREAD:
            continue
        for endpoint in (LIVE, ITEM):
            for figure, short in (
                ("rps", "req/s"),
                ("p99_ms", "p99"),
                ("cpu_us_per_request", "CPU/req"),
            ):
                add_ratio(
                    f"service {endpoint} {short}: {s} / {GTHREAD}",
                    label(s, SERVICE, endpoint),
                    label(GTHREAD, SERVICE, endpoint),
                    figure,
                )

    return {
        "rounds": args.rounds,
        "seconds_per_run": args.seconds,
        "connections": args.connections,
        "load_generator": loadgen,
        "versions": versions(project),
        "runs": records,
        "median": medians(records),
        "ratios": ratios,
        "median_ratios": {k: median(v) for k, v in ratios.items()},
        "shutdown": shutdown,
    }


def shutdown_probe(
    server: GroupServer, slow_requests: int = 3, slow_seconds: float = 2.0
) -> dict[str, Any]:
    """SIGTERM to the server's main process (as a container runtime sends it)
    with `slow_requests` requests of `slow_seconds` in flight and one idle
    keep-alive connection: how many in-flight requests are answered 200, what a
    new connection gets 0.3 s after the signal, and how long the server takes
    to exit."""
    with server:
        assert server.process is not None
        leader = server.process
        host, port = "127.0.0.1", server.port
        idle = HTTPConnection(host, port, timeout=30)
        idle.request("GET", LIVE)
        idle.getresponse().read()
        results: list[str] = []

        def slow() -> None:
            try:
                status, _ = http("GET", f"{server.url}/slow?s={slow_seconds}", timeout=30)
                results.append(str(status))
            except Exception as error:
                results.append(type(error).__name__)

        threads = [threading.Thread(target=slow) for _ in range(slow_requests)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        signalled = time.monotonic()
        os.kill(leader.pid, signal.SIGTERM)
        time.sleep(0.3)
        try:
            status, _ = http("GET", server.url + LIVE, timeout=2)
            new_request = f"answered {status}"
        except Exception as error:
            reason = getattr(error, "reason", error)
            new_request = f"refused ({type(reason).__name__})"
        try:
            leader.wait(40)
            exit_seconds: float | None = time.monotonic() - signalled
        except subprocess.TimeoutExpired:
            exit_seconds = None
        for thread in threads:
            thread.join(35)
        idle.close()
    return {
        "in_flight_ok": sum(r == "200" for r in results),
        "in_flight": slow_requests,
        "in_flight_results": sorted(results),
        "new_request_after_term": new_request,
        "exit_seconds": exit_seconds,
    }


# --------------------------------------------------------------------------
# Report


def report(result: dict[str, Any]) -> str:
    out = report_runs(result)
    if result["shutdown"]:
        rows = [
            [
                name,
                f"{s['in_flight_ok']}/{s['in_flight']}",
                ", ".join(s["in_flight_results"]),
                s["new_request_after_term"],
                f"{s['exit_seconds']:.2f}" if s["exit_seconds"] is not None else "> 40",
            ]
            for name, s in result["shutdown"].items()
        ]
        out += "\n\n" + table(
            ["SIGTERM to the main process (one-view Django)", "in flight 200", "answers",
             "new request at +0.3 s", "exit s"],
            rows,
        )  # fmt: skip
        out += (
            "\n  3 requests of 2 s in flight and one idle keep-alive connection"
            " when the signal is sent."
        )
    out += "\n\n" + report_versions(result)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--project",
        type=Path,
        default=Path("/tmp/bench-django"),
        help="the rendered Django project (framework=django, database=postgresql)",
    )
    parser.add_argument(
        "--database-url",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="a server where a private database can be created and dropped",
    )
    add_round_arguments(parser)
    parser.add_argument(
        "--servers",
        nargs="+",
        default=SERVERS,
        choices=SERVERS,
        metavar="SERVER",
        help=f"a subset of: {', '.join(SERVERS)}",
    )
    parser.add_argument("--skip-shutdown", action="store_true", help="skip the SIGTERM probe")
    args = parser.parse_args(argv)

    project = args.project.resolve()
    python = venv_python(project)
    if not python.exists():
        raise SystemExit(f"{python} not found: render and sync the Django project first")
    if Path(sys.prefix).resolve() != (project / ".venv").resolve():
        # psycopg (the database set-up) and granian/uvicorn live in the project's venv.
        os.execv(str(python), [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])
    ensure_servers_installed(project)

    signal.signal(signal.SIGTERM, exit_on_signal)
    signal.signal(signal.SIGHUP, exit_on_signal)
    atexit.register(stop_all)
    work = Path(tempfile.mkdtemp(prefix="django-servers-"))
    cache_bytecode_in(work / "pycache")
    started = time.monotonic()
    try:
        result = bench(args, project, work)
    finally:
        stop_all()
    result["elapsed_seconds"] = time.monotonic() - started
    print(report(result))
    print(f"\n(total {result['elapsed_seconds']:.0f} s; server logs in {work})")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
