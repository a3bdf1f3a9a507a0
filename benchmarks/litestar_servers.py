#!/usr/bin/env python3
"""Which server the Litestar flavour should run under: one worker each, 127.0.0.1.

A script, not a test: it prints figures (medians of interleaved rounds; ratios
taken within each round) and asserts nothing. For the rendered Litestar
service (the serve part's answers: postgresql, redis, jwt, plus
framework=litestar) it measures requests/second, p50/p99 latency, server CPU
per request (all processes of the server), memory (PSS of the process group),
threads and PostgreSQL connections held, for GET /health/live and the
authenticated GET /items/{id}, under:

  uvicorn   what the template ships: the service's own `acme-orders serve`
            (server.py: uvloop, httptools, access log off); the floors under
            subjects.py's launcher, the same uvicorn settings
  granian   `granian --interface asgi` on the app factory (the floors on their
            app), uvloop and HTTP/1 as uvicorn, its defaults otherwise (one
            runtime thread, access log off); server.py's slow-client
            deadlines and drain on SIGTERM do not apply there

next to the floors under the same server: litestar_mini.py (one-route
Litestar) for /health/live, and raw_items.py (bare ASGI, asyncpg and PyJWT,
the same rows and token; FastAPI's floor too) for the item read and for the
server's own floor on /health/live; litestar_items.py (Litestar and the
SQLAlchemy ORM, no template code) splits the item read into what the
framework costs and what the template adds.

Usage (the project rendered with the serve part's answers and framework=litestar):
    python3 benchmarks/litestar_servers.py --project /tmp/bench-litestar [--json out.json]

It re-runs itself with the project's Python (asyncpg is needed), installs
granian into the project's venv when it is measured and missing (`uv pip`),
and uses a private database on --database-url's server, dropped at the end.
Load comes from `wrk` (one thread: the other core is the server's).
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
import urllib.parse
from collections.abc import Callable, Coroutine, Sequence
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
    add_round_arguments,
    check_answers,
    choose_load,
    ensure_installed,
    floor_ratios,
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
from settings import DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, SLUG  # noqa: E402
from stats import log  # noqa: E402
from subjects import LAUNCHER, log_in  # noqa: E402

MINI, BARE = "Litestar one-route", "bare ASGI"
# The item read on Litestar and the ORM alone (litestar_items.py): what the framework costs.
ORM = "Litestar+SQLAlchemy"
APPS = {SERVICE: (LIVE, ITEM), MINI: (LIVE,), BARE: (LIVE, ITEM), ORM: (ITEM,)}
FLOORS = Floors(MINI, "one-route Litestar", BARE, ORM)
# Each app as an ASGI target; the service's is its factory (as server.py serves it).
TARGETS = {
    SERVICE: "acme_orders.main:create_app",
    MINI: "litestar_mini:app",
    BARE: "raw_items:app",
    ORM: "litestar_items:app",
}
UVICORN, GRANIAN = "uvicorn", "granian"
SERVERS = [UVICORN, GRANIAN]
# What the scratch directory holds besides the launcher: the floors and what they import.
FLOOR_MODULES = ["litestar_mini.py", "litestar_items.py", "raw_items.py", "orm_tables.py"]
DISTRIBUTIONS = [
    "litestar",
    "msgspec",
    "pydantic",
    "uvicorn",
    "granian",
    "uvloop",
    "httptools",
    "sqlalchemy",
    "asyncpg",
]


# --------------------------------------------------------------------------
# Set-up: the database (through asyncpg, the project's driver)


class Database:
    """A private database on the admin URL's server, dropped at the end.

    asyncpg (the project's driver) on an event loop of its own, since the
    rest of the script is synchronous.
    """

    def __init__(self, admin_url: str) -> None:
        import asyncpg

        self._loop = asyncio.new_event_loop()
        self.admin = self._wait(asyncpg.connect(admin_url))
        self.name = f"bench_litestar_{secrets.token_hex(4)}"
        self._wait(self.admin.execute(f'CREATE DATABASE "{self.name}"'))
        parts = urllib.parse.urlsplit(admin_url)
        self.url = urllib.parse.urlunsplit(parts._replace(path="/" + self.name))

    def _wait(self, work: Coroutine[Any, Any, Any]) -> Any:
        return self._loop.run_until_complete(work)

    def connections(self) -> int:
        sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = $1"
        return int(self._wait(self.admin.fetchval(sql, self.name)))

    def drop(self) -> None:
        try:
            self._wait(self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            self._wait(self.admin.close())
        finally:
            self._loop.close()


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
    if server == UVICORN:
        if app == SERVICE:
            # The console script itself (what `uv run acme-orders serve` runs);
            # it reads its port from PORT, which Server sets.
            return lambda _port: [str(bin_ / SLUG), "serve"]
        return lambda port: [str(bin_ / "python"), "launcher.py", target, str(port)]
    if server == GRANIAN:
        factory = ["--factory"] if app == SERVICE else []
        return lambda port: [
            str(bin_ / "granian"), "--interface", "asgi", "--host", "127.0.0.1",
            "--port", str(port), "--workers", "1", "--loop", "uvloop", "--http", "1",
            *factory, target,
        ]  # fmt: skip
    raise ValueError(server)


# --------------------------------------------------------------------------
# Measuring


def bench(args: argparse.Namespace, project: Path, work: Path) -> dict[str, Any]:
    load, loadgen = choose_load(args.loadgen)
    db = Database(args.database_url)
    servers = [s for s in SERVERS if s in args.servers]
    try:
        setup = prepare(
            project,
            work,
            db.url,
            FLOOR_MODULES,
            {"launcher.py": LAUNCHER},
            REDIS_URL=args.redis_url,
        )
        subjects = {(s, a): Subject(s, a, setup) for s in servers for a in APPS}
        log(
            f"litestar-servers: {loadgen}, {args.connections} connections,"
            f" {args.seconds:.0f} s runs (+{args.warmup:.0f} s warm-up), {args.rounds} rounds,"
            f" servers: {', '.join(servers)}"
        )
        # The service first (under the server it ships when measured): its
        # log-in makes the user and the item.
        with start(subjects[(servers[0], SERVICE)], work, "warm-up.log") as server:
            auth = Auth(*log_in(server.url))
            expected = read_item(server.url, auth)
        check_answers(subjects, work, auth, expected)
        log(
            "litestar-servers: every server answers both endpoints;"
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
    each app under granian next to the same app under uvicorn."""
    ratios: dict[str, list[float]] = {}
    for s in servers:
        ratios.update(floor_ratios(rounds_data, s, FLOORS))
    ratios.update(server_ratios(rounds_data, servers, UVICORN, APPS))
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
        default=Path("/tmp/bench-litestar"),
        help="the rendered Litestar project (the serve part's answers, framework=litestar)",
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
    # asyncpg (the database set-up) and granian live in the project's venv.
    run_in_project(project, "Litestar", __file__)
    if GRANIAN in args.servers:
        ensure_installed(project, ["granian"], ["granian"])
    return run_script(args, "litestar", bench, report)


if __name__ == "__main__":
    sys.exit(main())
