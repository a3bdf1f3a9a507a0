"""Part 4, the frameworks side by side.

Each framework's service is rendered with the serve part's answers
(postgresql, redis, jwt) and measured next to its own floors under the server
it ships, one worker, 127.0.0.1, the same connection count:

  /health/live   next to a minimal one-route app of the same framework
  item read      next to a bare app of the same interface doing the same work
                 with the raw driver (decode the token, read the user and the
                 item, answer JSON)

FastAPI's figures are the serve part's (uvicorn; floors: a one-route FastAPI
app and raw_items.py on asyncpg). Django's come from django_servers.py run
for the server it ships (gunicorn gthread; floors: django_mini.py and
bare_wsgi_items.py on psycopg), Litestar's from litestar_servers.py run for
the server it ships (uvicorn; floors: litestar_mini.py and, as for FastAPI,
raw_items.py), Flask's from flask_servers.py run for the server it ships
(gunicorn gthread; floors: flask_mini.py and, as for Django,
bare_wsgi_items.py), in the same run. The goals are DESIGN.md section 8's:
at least 0.8x and 0.5x.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from processes import base_env, copier_copy, find_uv, run
from serve import ITEMS_LABEL, LIVE_LABEL, MINIMAL, ORM_LABEL, RAW_LABEL
from settings import SERVER_DATA, TARGETS, TEMPLATE
from stats import log, median, spread, table, verdict

HERE = Path(__file__).resolve().parent
DJANGO_SERVER = "gunicorn gthread"  # what server.py of the Django flavour runs
LITESTAR_SERVER = "uvicorn"  # what server.py of the Litestar flavour runs
FLASK_SERVER = "gunicorn gthread"  # what server.py of the Flask flavour runs


def measure_flavour(
    work: Path,
    framework: str,
    script: str,
    server: str,
    options: list[str],
) -> dict[str, Any]:
    """Render `framework` with the serve part's answers, sync it, and run its
    servers script for the one server it ships: that script's JSON figures."""
    project = work / framework
    copier_copy(TEMPLATE, project, [*SERVER_DATA, "-d", f"framework={framework}"])
    run([find_uv(), "sync", "-q"], cwd=project, env=base_env())
    figures = work / f"{framework}.json"
    log(f"frameworks: {framework} under {server} ({script})")
    _, output = run(
        [
            sys.executable,
            str(HERE / script),
            "--project",
            str(project),
            "--servers",
            server,
            *options,
            "--json",
            str(figures),
        ],
        env=base_env(),
        timeout=3600,
    )
    log(output)
    return json.loads(figures.read_text())


def round_options(
    rounds: int, seconds: float, warmup: float, connections: int, loadgen: str, database_url: str
) -> list[str]:
    """The serve part's plan, as the servers scripts take it."""
    return [
        "--database-url",
        database_url,
        "--rounds",
        str(rounds),
        "--seconds",
        str(seconds),
        "--warmup",
        str(warmup),
        "--connections",
        str(connections),
        "--loadgen",
        loadgen,
    ]


def bench_django(
    work: Path,
    rounds: int,
    seconds: float,
    warmup: float,
    connections: int,
    loadgen: str,
    database_url: str,
) -> dict[str, Any]:
    """The Django service and its floors under gunicorn gthread (django_servers.py)."""
    options = round_options(rounds, seconds, warmup, connections, loadgen, database_url)
    return measure_flavour(
        work, "django", "django_servers.py", DJANGO_SERVER, [*options, "--skip-shutdown"]
    )


def bench_litestar(
    work: Path,
    rounds: int,
    seconds: float,
    warmup: float,
    connections: int,
    loadgen: str,
    database_url: str,
    redis_url: str,
) -> dict[str, Any]:
    """The Litestar service and its floors under uvicorn (litestar_servers.py)."""
    options = round_options(rounds, seconds, warmup, connections, loadgen, database_url)
    return measure_flavour(
        work,
        "litestar",
        "litestar_servers.py",
        LITESTAR_SERVER,
        [*options, "--redis-url", redis_url],
    )


def bench_flask(
    work: Path,
    rounds: int,
    seconds: float,
    warmup: float,
    connections: int,
    loadgen: str,
    database_url: str,
    redis_url: str,
) -> dict[str, Any]:
    """The Flask service and its floors under gunicorn gthread (flask_servers.py)."""
    options = round_options(rounds, seconds, warmup, connections, loadgen, database_url)
    return measure_flavour(
        work,
        "flask",
        "flask_servers.py",
        FLASK_SERVER,
        [*options, "--redis-url", redis_url],
    )


def _servers_row(
    result: dict[str, Any],
    framework: str,
    server: str,
    one_route: tuple[str, str],
    bare: str,
    alone: str,
) -> dict[str, Any]:
    """A row from a servers script's figures under `server`: `one_route` is
    the one-route floor's label and its name in the ratios, `bare` the label
    of the raw-driver floor, `alone` that of the framework and its ORM alone."""
    runs = result["median"]
    ratios = result["ratios"]
    service = f"{server} | service"
    mini, mini_named = one_route
    return {
        "framework": framework,
        "server": server,
        "live": runs[f"{service} /health/live"]["rps"],
        "live_floor": runs[f"{server} | {mini} /health/live"]["rps"],
        "live_ratios": ratios[f"{server}: service live / {mini_named} live, req/s"],
        "item": runs[f"{service} /items/{{id}}"]["rps"],
        "item_floor": runs[f"{server} | {bare} /items/{{id}}"]["rps"],
        "item_ratios": ratios[f"{server}: service item / {bare} item, req/s"],
        "framework_item": runs[f"{server} | {alone} /items/{{id}}"]["rps"],
    }


def _django_row(result: dict[str, Any]) -> dict[str, Any]:
    return _servers_row(
        result,
        "Django + DRF",
        DJANGO_SERVER,
        ("Django one-view", "one-view Django"),
        "bare WSGI",
        "Django+DRF",
    )


def _litestar_row(result: dict[str, Any]) -> dict[str, Any]:
    return _servers_row(
        result,
        "Litestar",
        LITESTAR_SERVER,
        ("Litestar one-route", "one-route Litestar"),
        "bare ASGI",
        "Litestar+SQLAlchemy",
    )


def _flask_row(result: dict[str, Any]) -> dict[str, Any]:
    return _servers_row(
        result,
        "Flask + APIFlask",
        FLASK_SERVER,
        ("Flask one-route", "one-route Flask"),
        "bare WSGI",
        "APIFlask+SQLAlchemy",
    )


def _fastapi_row(result: dict[str, Any]) -> dict[str, Any]:
    runs = result["median"]
    ratios = result["ratios"]
    return {
        "framework": "FastAPI",
        "server": "uvicorn",
        "live": runs[LIVE_LABEL]["rps"],
        "live_floor": runs[MINIMAL]["rps"],
        "live_ratios": ratios["service live rps / minimal FastAPI rps"],
        "item": runs[ITEMS_LABEL]["rps"],
        "item_floor": runs[RAW_LABEL]["rps"],
        "item_ratios": ratios["service items rps / raw asyncpg items rps"],
        "framework_item": runs[ORM_LABEL]["rps"],
    }


def report_frameworks(
    serve: dict[str, Any] | None,
    django: dict[str, Any],
    litestar: dict[str, Any],
    flask: dict[str, Any],
) -> str:
    rows = ([_fastapi_row(serve)] if serve else []) + [
        _django_row(django),
        _litestar_row(litestar),
        _flask_row(flask),
    ]
    live_goal, item_goal = TARGETS["live_vs_minimal_min"], TARGETS["items_vs_raw_min"]
    cells = []
    for row in rows:
        live_ratio, item_ratio = median(row["live_ratios"]), median(row["item_ratios"])
        cells.append(
            [
                row["framework"],
                row["server"],
                f"{row['live']:.0f}",
                f"{row['live_floor']:.0f}",
                f"{live_ratio:.2f} ({spread(row['live_ratios'])})",
                verdict(live_ratio >= live_goal),
                f"{row['item']:.0f}",
                f"{row['item_floor']:.0f}",
                f"{item_ratio:.2f} ({spread(row['item_ratios'])})",
                verdict(item_ratio >= item_goal),
                f"{row['framework_item']:.0f}",
                f"{row['framework_item'] / row['item_floor']:.2f}",
            ]
        )
    out = table(
        [
            "framework",
            "server",
            "live req/s",
            "one-route",
            "ratio (range)",
            f">= {live_goal}",
            "item req/s",
            "raw driver",
            "ratio (range)",
            f">= {item_goal}",
            "framework alone",
            "/ raw",
        ],
        cells,
    )
    out += (
        "\n  One worker each, 127.0.0.1, the same connections; floors run under the framework's"
        " own server\n  (one-route: the minimal app of the same framework; raw driver: a bare app"
        " of the same interface\n  doing the item read with the raw driver). Ratios are per-round"
        " medians of interleaved runs.\n  framework alone: the item read on the framework and its"
        " ORM without the template\n  (orm_items.py: FastAPI + SQLAlchemy; drf_items.py: DRF +"
        " the Django ORM; litestar_items.py:\n  Litestar + SQLAlchemy; flask_items.py: APIFlask +"
        " sync SQLAlchemy), and its ratio to the raw\n  driver. FastAPI and Litestar share the"
        " raw driver's app (raw_items.py, asyncpg), Django\n  and Flask theirs"
        " (bare_wsgi_items.py, psycopg)."
    )
    if not serve:
        out += "\n  (FastAPI: run the serve part too, e.g. --only serve --only frameworks)"
    return out
