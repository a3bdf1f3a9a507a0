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
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from processes import http  # noqa: E402
from server_rounds import (  # noqa: E402
    ITEM,
    LIVE,
    SERVICE,
    Auth,
    Floors,
    GroupServer,
    PsycopgDatabase,
    add_round_arguments,
    check_answers,
    choose_load,
    ensure_installed,
    floor_ratios,
    granian_wsgi_command,
    gunicorn_command,
    measure_rounds,
    prepare,
    read_item,
    report_runs,
    report_versions,
    result_of,
    run_in_project,
    run_script,
    server_ratios,
    start,
)
from settings import PACKAGE, SLUG  # noqa: E402
from stats import log, table  # noqa: E402
from subjects import log_in  # noqa: E402

MINI, BARE = "Django one-view", "bare WSGI"
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
FLOORS = Floors(MINI, "one-view Django", BARE, DRF)
# The service alone, with database connections closed after each request
# (DATABASE_CONN_MAX_AGE=0, what Django advises under ASGI); its floors are
# uvicorn's.
ONLY_SERVICE = {UVICORN0}
FLOOR_SERVER = {UVICORN0: UVICORN}
FLOOR_MODULES = ["django_mini.py", "bare_wsgi_items.py", "drf_items.py"]
DISTRIBUTIONS = [
    "django",
    "djangorestframework",
    "gunicorn",
    "granian",
    "uvicorn",
    "psycopg",
    "asgiref",
]

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
# Set-up: the service's ASGI module, the servers' command lines


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
        bin_ = setup["project"] / ".venv" / "bin"
        python = str(bin_ / "python")
        self.cwd = setup["scratch"]
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

        if server == GTHREAD:
            # The console script itself (what `uv run acme-orders serve` runs).
            self.command = (
                (lambda _port: [str(bin_ / SLUG), "serve"])
                if app == SERVICE
                else gunicorn_command(bin_, "gthread", wsgi)
            )
        elif server == SYNC:
            if app == SERVICE:
                self.command = lambda _port: [python, "gunicorn_variant.py"]
                self.env["BENCH_WORKER_CLASS"] = "sync"
            else:
                self.command = gunicorn_command(bin_, "sync", wsgi)
        elif server == GRANIAN:
            self.command = granian_wsgi_command(bin_, wsgi)
        elif server == GRANIAN4:
            self.command = granian_wsgi_command(bin_, wsgi, "--blocking-threads", "4")
        elif server in (UVICORN, UVICORN0):
            if server == UVICORN0:
                self.env["DATABASE_CONN_MAX_AGE"] = "0"
            self.command = lambda port: [python, "uvicorn_launcher.py", asgi, str(port), interface]
        else:
            raise ValueError(server)

    @property
    def endpoints(self) -> tuple[str, ...]:
        return APPS[self.app]


# --------------------------------------------------------------------------
# Measuring


def bench(args: argparse.Namespace, project: Path, work: Path) -> dict[str, Any]:
    load, loadgen = choose_load(args.loadgen)
    db = PsycopgDatabase(args.database_url, "django")
    servers = [s for s in SERVERS if s in args.servers]
    try:
        setup = prepare(
            project,
            work,
            db.url,
            FLOOR_MODULES,
            {
                "service_asgi.py": service_asgi_source(project),
                "uvicorn_launcher.py": UVICORN_LAUNCHER,
                "gunicorn_variant.py": GUNICORN_VARIANT,
            },
        )
        subjects = {
            (s, a): Subject(s, a, setup)
            for s in servers
            for a in APPS
            if a == SERVICE or s not in ONLY_SERVICE
        }
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
    for s in servers:
        ratios.update(floor_ratios(rounds_data, s, FLOORS, FLOOR_SERVER.get(s, s)))
    # The service under each other server next to the server it ships.
    ratios.update(server_ratios(rounds_data, servers, GTHREAD, {SERVICE: (LIVE, ITEM)}))
    return {
        **result_of(args, loadgen, DISTRIBUTIONS, records, ratios),
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
    # psycopg (the database set-up) and granian/uvicorn live in the project's venv.
    run_in_project(project, "Django", __file__)
    ensure_installed(
        project, ["granian", "uvicorn", "uvloop", "httptools"], ["granian", "uvicorn[standard]"]
    )
    return run_script(args, "django", bench, report)


if __name__ == "__main__":
    sys.exit(main())
