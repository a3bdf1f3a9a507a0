#!/usr/bin/env python3
"""Which server the Flask flavour should run under: one worker each, 127.0.0.1.

A script, not a test: it prints figures (medians of interleaved rounds; ratios
taken within each round) and asserts nothing. For the rendered Flask service
(APIFlask views, synchronous SQLAlchemy on psycopg; framework=flask,
database=postgresql) it measures requests/second, p50/p99 latency, server CPU
per request (all processes of the server: master and worker), memory (PSS of
the process group), threads and PostgreSQL connections held, for GET
/health/live and the authenticated GET /items/{id}, under:

  gunicorn gthread    what the template ships: the service's own
                      `acme-orders serve` (server.py: gthread, 4 threads per
                      worker, slow-client deadlines); the floors under
                      gunicorn's stock gthread worker, the same threads
  granian             `granian --interface wsgi` on the service's wsgi.py
                      (the floors on theirs), its defaults (WSGI blocking
                      threads: backpressure / 2); server.py's slow-client
                      deadlines and drain on SIGTERM do not apply there
  granian 4 threads   the same with --blocking-threads 4 (gthread's count)

next to the floors under the same server: flask_mini.py (one-route plain
Flask) for /health/live, and bare_wsgi_items.py (bare WSGI, psycopg and
PyJWT, the same rows and token; Django's floor too) for the item read and
for the server's own floor on /health/live; flask_items.py (APIFlask and
the synchronous SQLAlchemy ORM, no template code) splits the item read into
what the framework costs and what the template adds.

Usage (the project rendered with framework=flask, database=postgresql):
    python3 benchmarks/flask_servers.py --project /tmp/bench-flask [--json out.json]

It re-runs itself with the project's Python (psycopg is needed), installs
granian into the project's venv when it is measured and missing (`uv pip`),
and uses a private database on --database-url's server, dropped at the end
(Redis at --redis-url, for a project rendered with cache=redis). Load comes
from `wrk` (one thread: the other core is the server's).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from server_rounds import (  # noqa: E402
    ITEM,
    LIVE,
    SERVICE,
    Auth,
    Floors,
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
from settings import DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, PACKAGE, SLUG  # noqa: E402
from stats import log  # noqa: E402
from subjects import log_in  # noqa: E402

MINI, BARE = "Flask one-route", "bare WSGI"
# The item read on APIFlask and the ORM alone (flask_items.py): what the framework costs.
ORM = "APIFlask+SQLAlchemy"
APPS = {SERVICE: (LIVE, ITEM), MINI: (LIVE,), BARE: (LIVE, ITEM), ORM: (ITEM,)}
FLOORS = Floors(MINI, "one-route Flask", BARE, ORM)
# Each app as a WSGI target (the service's is what server.py loads).
TARGETS = {
    SERVICE: f"{PACKAGE}.wsgi:application",
    MINI: "flask_mini:application",
    BARE: "bare_wsgi_items:application",
    ORM: "flask_items:application",
}
GTHREAD, GRANIAN, GRANIAN4 = "gunicorn gthread", "granian", "granian 4 threads"
SERVERS = [GTHREAD, GRANIAN, GRANIAN4]
# The floors and what they import, copied where the servers run.
FLOOR_MODULES = ["flask_mini.py", "flask_items.py", "bare_wsgi_items.py", "orm_tables.py"]
DISTRIBUTIONS = [
    "flask",
    "apiflask",
    "werkzeug",
    "pydantic",
    "gunicorn",
    "granian",
    "sqlalchemy",
    "psycopg",
]


# --------------------------------------------------------------------------
# Set-up: the servers' command lines


class Subject:
    """One app under one server: its command for a port, cwd and environment."""

    def __init__(self, server: str, app: str, setup: dict[str, Any]) -> None:
        self.server, self.app = server, app
        self.cwd = setup["scratch"]
        self.env = dict(setup["service_env"] if app == SERVICE else setup["ref_env"])
        self.command = command(server, app, setup["project"] / ".venv" / "bin")

    @property
    def endpoints(self) -> tuple[str, ...]:
        return APPS[self.app]


def command(server: str, app: str, bin_: Path) -> Callable[[int], list[str]]:
    """The command line, for a port, that serves `app` under `server`."""
    target = TARGETS[app]
    if server == GTHREAD:
        if app == SERVICE:
            # The console script itself (what `uv run acme-orders serve` runs);
            # it reads its port from PORT, which Server sets.
            return lambda _port: [str(bin_ / SLUG), "serve"]
        return gunicorn_command(bin_, "gthread", target)
    if server == GRANIAN:
        return granian_wsgi_command(bin_, target)
    if server == GRANIAN4:
        return granian_wsgi_command(bin_, target, "--blocking-threads", "4")
    raise ValueError(server)


# --------------------------------------------------------------------------
# Measuring


def bench(args: argparse.Namespace, project: Path, work: Path) -> dict[str, Any]:
    load, loadgen = choose_load(args.loadgen)
    db = PsycopgDatabase(args.database_url, "flask")
    servers = [s for s in SERVERS if s in args.servers]
    try:
        setup = prepare(project, work, db.url, FLOOR_MODULES, REDIS_URL=args.redis_url)
        subjects = {(s, a): Subject(s, a, setup) for s in servers for a in APPS}
        log(
            f"flask-servers: {loadgen}, {args.connections} connections,"
            f" {args.seconds:.0f} s runs (+{args.warmup:.0f} s warm-up), {args.rounds} rounds,"
            f" servers: {', '.join(servers)}"
        )
        # The service under its own server first: its log-in makes the user
        # and the item.
        first = GTHREAD if GTHREAD in servers else servers[0]
        with start(subjects[(first, SERVICE)], work, "warm-up.log") as server:
            auth = Auth(*log_in(server.url))
            expected = read_item(server.url, auth)
        check_answers(subjects, work, auth, expected)
        log(
            "flask-servers: every server answers both endpoints;"
            " the floors answer the service's JSON"
        )
        records, rounds_data = measure_rounds(subjects, work, auth, args, load, db.connections)
    finally:
        try:
            db.drop()
        except Exception as error:
            log(f"could not drop the benchmark database {db.name}: {error}")

    return result_of(args, loadgen, DISTRIBUTIONS, records, compare(servers, rounds_data))


def compare(servers: list[str], rounds_data: list[dict[str, Any]]) -> dict[str, list[float]]:
    """The per-round ratios: each server's service next to its floors, then
    each app under granian next to the same app under gunicorn gthread."""
    ratios: dict[str, list[float]] = {}
    for s in servers:
        ratios.update(floor_ratios(rounds_data, s, FLOORS))
    ratios.update(server_ratios(rounds_data, servers, GTHREAD, APPS))
    return ratios


# --------------------------------------------------------------------------
# Report


def report(result: dict[str, Any]) -> str:
    return report_runs(result) + "\n\n" + report_versions(result)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--project",
        type=Path,
        default=Path("/tmp/bench-flask"),
        help="the rendered Flask project (framework=flask, database=postgresql)",
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="a server where a private database can be created and dropped",
    )
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    add_round_arguments(parser)
    parser.add_argument(
        "--servers",
        nargs="+",
        default=SERVERS,
        choices=SERVERS,
        metavar="SERVER",
        help=f"a subset of: {', '.join(SERVERS)}",
    )
    args = parser.parse_args(argv)

    project = args.project.resolve()
    # psycopg (the database set-up) and granian live in the project's venv.
    run_in_project(project, "Flask", __file__)
    if GRANIAN in args.servers or GRANIAN4 in args.servers:
        ensure_installed(project, ["granian"], ["granian"])
    return run_script(args, "flask", bench, report)


if __name__ == "__main__":
    sys.exit(main())
