#!/usr/bin/env python3
"""Benchmarks of the template and of the service it renders.

A script, not a test: it prints figures (medians of several runs; ratios
taken per round from interleaved runs, since the machines are noisy) and
asserts nothing. Three parts:

  render  copier copy time of the default and of the fullest combination,
          next to copier's own time for a one-file template (the floor).
  green   render + `uv sync` + `uv run pytest -q` for the default (sqlite)
          and for postgresql + redis + jwt, on a warm uv cache.
  serve   requests/second, p99 latency and idle RSS of the rendered service
          (one worker, 127.0.0.1) for GET /health/live and an authenticated
          GET /items/{id}, next to a bare ASGI app and a one-route FastAPI app
          under the same uvicorn settings.

Usage (from the template repository):
    .venv/bin/python benchmarks/run.py [--quick] [--json out.json]

Standard library only. Needs: the template venv's copier, uv, git, and for
`green`/`serve` PostgreSQL and Redis (--database-url, --redis-url). Load comes
from `wrk` when installed, else from a small asyncio keep-alive generator.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import contextlib
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

TEMPLATE = Path(__file__).resolve().parent.parent
COPIER = TEMPLATE / ".venv" / "bin" / "copier"
SLUG = "acme-orders"  # the default project_slug

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"

FULLEST_ANSWERS = """\
database: postgresql
cache: redis
auth: jwt
observability: [prometheus, opentelemetry, sentry]
ci: github
deploy_targets: [compose]
"""
SERVER_DATA = ["-d", "database=postgresql", "-d", "cache=redis", "-d", "auth=jwt"]

TARGETS = {
    "render_ratio_max": 1.5,
    "green_sqlite_s": 10.0,
    "green_postgresql_s": 15.0,
    "live_vs_bare_min": 0.5,
    "rss_vs_minimal_max": 1.3,
}


# --------------------------------------------------------------------------
# Output helpers


def log(message: str) -> None:
    """Progress goes to stderr; figures and tables go to stdout."""
    print(message, file=sys.stderr, flush=True)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: Sequence[float], fmt: str = "{:.2f}") -> str:
    if not values:
        return "-"
    return f"{fmt.format(min(values))}-{fmt.format(max(values))}"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        parts = [
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


def rotated(items: Sequence[Any], round_index: int) -> list[Any]:
    """The items in a different order each round, so drift spreads evenly."""
    k = round_index % len(items)
    return list(items[k:]) + list(items[:k])


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


# --------------------------------------------------------------------------
# Processes: every child gets its own process group, killed on any exit.

_GROUPS: dict[int, subprocess.Popen[Any]] = {}


def spawn(cmd: Sequence[str], **kwargs: Any) -> subprocess.Popen[Any]:
    process = subprocess.Popen(cmd, start_new_session=True, **kwargs)
    _GROUPS[process.pid] = process
    return process


def stop(process: subprocess.Popen[Any], grace: float = 10.0) -> None:
    """SIGTERM the whole process group, SIGKILL it after `grace` seconds."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(grace)
    # Whatever is left of the group (the leader, or children that outlived it).
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(5)
    _GROUPS.pop(process.pid, None)


def stop_all() -> None:
    for process in list(_GROUPS.values()):
        stop(process, grace=3.0)


def _exit_on_signal(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)


class CommandError(RuntimeError):
    pass


def run(
    cmd: Sequence[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 900.0,
) -> tuple[float, str]:
    """Run to completion in its own process group; (seconds, combined output)."""
    started = time.perf_counter()
    process = spawn(
        cmd,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop(process, grace=2.0)
        msg = f"timed out after {timeout:.0f} s: {' '.join(map(str, cmd))}"
        raise CommandError(msg) from None
    elapsed = time.perf_counter() - started
    _GROUPS.pop(process.pid, None)
    if process.returncode != 0:
        tail = "\n".join(output.splitlines()[-40:])
        msg = f"exit {process.returncode}: {' '.join(map(str, cmd))}\n{tail}"
        raise CommandError(msg)
    return elapsed, output


# Where child processes cache bytecode (set by main). A sandbox may export
# PYTHONDONTWRITEBYTECODE=1, which makes every copier run and every server
# start compile all its modules from source: users do not run like that.
# A private prefix keeps the .pyc files out of the template's venv.
PYCACHE_PREFIX: Path | None = None


def base_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PYENV_VERSION", "3.11.7:3.12.1:3.13.0")
    env.setdefault("UV_PYTHON_DOWNLOADS", "never")
    env.pop("VIRTUAL_ENV", None)  # a parent venv would make uv warn
    env["NO_COLOR"] = "1"
    if PYCACHE_PREFIX is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE_PREFIX)
    return env


def find_uv() -> str:
    uv = shutil.which("uv") or "/root/.pyenv/shims/uv"
    if not Path(uv).exists():
        raise SystemExit("uv not found")
    return uv


def copier_copy(src: Path | str, dst: Path, extra: Sequence[str] = ()) -> float:
    cmd = [str(COPIER), "copy", "-q", "--trust", "--defaults", *extra, str(src), str(dst)]
    elapsed, _ = run(cmd, env=base_env(), timeout=300)
    return elapsed


# --------------------------------------------------------------------------
# 1. Render time


def make_floor_template(root: Path) -> Path:
    """A git template with one question and one .jinja file."""
    root.mkdir(parents=True)
    (root / "copier.yml").write_text(
        "_templates_suffix: .jinja\nname:\n  type: str\n  default: world\n"
    )
    (root / "hello.txt.jinja").write_text("Hello {{ name }}!\n")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "floor"]):
        run([*git, *args], cwd=root, timeout=60)
    return root


def bench_render(work: Path, rounds: int) -> dict[str, Any]:
    floor = make_floor_template(work / "floor-template")
    answers = work / "fullest.yml"
    answers.write_text(FULLEST_ANSWERS)
    variants: dict[str, tuple[Path, list[str]]] = {
        "one-file template (floor)": (floor, []),
        "default combination": (TEMPLATE, []),
        "fullest combination": (TEMPLATE, ["--data-file", str(answers)]),
    }
    names = list(variants)
    counter = 0

    def render(name: str) -> float:
        nonlocal counter
        counter += 1
        src, extra = variants[name]
        dst = work / f"render-{counter}"
        try:
            return copier_copy(src, dst, extra)
        finally:
            shutil.rmtree(dst, ignore_errors=True)

    log("render: warm-up (one of each, not counted)")
    for name in names:
        render(name)

    times: dict[str, list[float]] = {name: [] for name in names}
    ratios: dict[str, list[float]] = {name: [] for name in names[1:]}
    for i in range(rounds):
        this_round = {name: render(name) for name in rotated(names, i)}
        for name, seconds in this_round.items():
            times[name].append(seconds)
        for name in names[1:]:
            ratios[name].append(this_round[name] / this_round[names[0]])
        log(
            f"render: round {i + 1}/{rounds}: "
            + ", ".join(f"{n.split(' ')[0]} {this_round[n]:.2f}s" for n in names)
        )
    return {
        "rounds": rounds,
        "seconds": times,
        "median_seconds": {n: median(v) for n, v in times.items()},
        "ratio_to_floor": ratios,
        "median_ratio_to_floor": {n: median(v) for n, v in ratios.items()},
        "target_ratio_max": TARGETS["render_ratio_max"],
    }


def report_render(result: dict[str, Any]) -> str:
    floor = "one-file template (floor)"
    rows = []
    for name, values in result["seconds"].items():
        ratio = result["ratio_to_floor"].get(name)
        rows.append(
            [
                name,
                f"{median(values):.2f}",
                spread(values),
                "1.00" if ratio is None else f"{median(ratio):.2f}",
                "-" if ratio is None else spread(ratio),
                "" if name == floor else verdict(median(ratio) <= TARGETS["render_ratio_max"]),
            ]
        )
    return table(
        ["copier copy --trust --defaults", "median s", "range s", "x floor", "range x", "<= 1.5x"],
        rows,
    )


# --------------------------------------------------------------------------
# 2. Render to green tests


def bench_green(work: Path, rounds: int, database_url: str, redis_url: str) -> dict[str, Any]:
    uv = find_uv()
    variants: dict[str, tuple[list[str], dict[str, str], float]] = {
        "sqlite (default)": ([], {}, TARGETS["green_sqlite_s"]),
        "postgresql+redis+jwt": (
            SERVER_DATA,
            {"DATABASE_URL": database_url, "REDIS_URL": redis_url},
            TARGETS["green_postgresql_s"],
        ),
    }
    names = list(variants)
    counter = 0

    def pipeline(name: str, pytest_args: Sequence[str] = ()) -> tuple[dict[str, float], str]:
        nonlocal counter
        counter += 1
        data, extra_env, _ = variants[name]
        env = base_env()
        for key in ("DATABASE_URL", "REDIS_URL"):
            env.pop(key, None)
        env.update(extra_env)
        dst = work / f"green-{counter}"
        try:
            phases = {"render": copier_copy(TEMPLATE, dst, data)}
            phases["uv sync"], _ = run([uv, "sync", "-q"], cwd=dst, env=env)
            phases["uv run pytest"], output = run(
                [uv, "run", "pytest", "-q", *pytest_args], cwd=dst, env=env
            )
            phases["total"] = sum(phases.values())
            return phases, output
        finally:
            shutil.rmtree(dst, ignore_errors=True)

    slowest: dict[str, list[str]] = {}
    pytest_reported: dict[str, list[float]] = {name: [] for name in names}
    log("green: warm-up (one pipeline each, warms the uv cache, not counted)")
    for name in names:
        phases, output = pipeline(name, ["--durations=5"])
        lines = output.splitlines()
        start = next((i for i, text in enumerate(lines) if "slowest 5 durations" in text), None)
        slowest[name] = lines[start + 1 : start + 6] if start is not None else []
        log(f"green: warm-up {name}: {phases['total']:.1f}s")

    samples: dict[str, list[dict[str, float]]] = {name: [] for name in names}
    for i in range(rounds):
        for name in rotated(names, i):
            phases, output = pipeline(name)
            match = re.search(r"passed.* in ([\d.]+)s", output)
            if match:
                pytest_reported[name].append(float(match.group(1)))
            samples[name].append(phases)
            log(
                f"green: round {i + 1}/{rounds} {name}: "
                + ", ".join(f"{k} {v:.1f}s" for k, v in phases.items())
            )
    medians = {
        name: {phase: median([s[phase] for s in runs]) for phase in runs[0]}
        for name, runs in samples.items()
    }
    return {
        "rounds": rounds,
        "samples": samples,
        "median_seconds": medians,
        "pytest_reported_seconds": pytest_reported,
        "slowest_tests_warmup": slowest,
        "targets_s": {name: variants[name][2] for name in names},
    }


def report_green(result: dict[str, Any]) -> str:
    rows = []
    for name, runs in result["samples"].items():
        totals = [r["total"] for r in runs]
        m = result["median_seconds"][name]
        target = result["targets_s"][name]
        rows.append(
            [
                name,
                f"{m['render']:.1f}",
                f"{m['uv sync']:.1f}",
                f"{m['uv run pytest']:.1f}",
                f"{median(result['pytest_reported_seconds'][name]):.1f}",
                f"{m['total']:.1f}",
                spread(totals, "{:.1f}"),
                f"{target:.0f}",
                verdict(m["total"] <= target),
            ]
        )
    out = table(
        [
            "render -> green tests",
            "render s",
            "sync s",
            "pytest s",
            "(in-pytest s)",
            "total s",
            "range s",
            "target s",
            "",
        ],
        rows,
    )
    for name, lines in result["slowest_tests_warmup"].items():
        if lines:
            out += f"\n  slowest tests, {name} (warm-up run):\n"
            out += "\n".join("    " + line.strip() for line in lines)
    return out


# --------------------------------------------------------------------------
# 3. Serving


BARE_ASGI = '''\
"""The least an ASGI app can do: the same JSON for every request."""

BODY = b'{"status":"ok"}'
START = {
    "type": "http.response.start",
    "status": 200,
    "headers": [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(BODY)).encode()),
    ],
}
END = {"type": "http.response.body", "body": BODY}


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    await send(START)
    await send(END)
'''

MINIMAL_FASTAPI = '''\
"""A one-route FastAPI app."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}
'''

# The one-route app, plus the libraries the service imports to do its work
# (not the service's own code): separates dependency weight from template weight.
MINIMAL_FASTAPI_WITH_LIBS = (
    MINIMAL_FASTAPI
    + """
import asyncpg  # noqa: E402, F401
import email_validator  # noqa: E402, F401
import jwt  # noqa: E402, F401
import multipart  # noqa: E402, F401
import prometheus_client  # noqa: E402, F401
import pwdlib  # noqa: E402, F401
import pydantic_settings  # noqa: E402, F401
import redis.asyncio  # noqa: E402, F401
import sqlalchemy.ext.asyncio  # noqa: E402, F401
"""
)

# The same uvicorn settings as the service's `serve` command.
LAUNCHER = """\
import sys

import uvicorn

uvicorn.run(
    sys.argv[1],
    host="127.0.0.1",
    port=int(sys.argv[2]),
    workers=1,
    loop="uvloop",
    http="httptools",
    log_config=None,
    access_log=False,
    server_header=False,
    proxy_headers=True,
)
"""

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http(
    method: str,
    url: str,
    *,
    json_body: Any = None,
    form: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
) -> tuple[int, bytes]:
    data = None
    all_headers = dict(headers or {})
    if json_body is not None:
        data = json.dumps(json_body).encode()
        all_headers["Content-Type"] = "application/json"
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, headers=all_headers, method=method)
    try:
        with _NO_PROXY.open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process (all its threads) so far."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


class Server:
    """A server process on a free 127.0.0.1 port; stopped on leaving the block."""

    def __init__(
        self,
        name: str,
        cmd: Callable[[int], list[str]],
        cwd: Path,
        env: dict[str, str],
        log_path: Path,
    ) -> None:
        self.name = name
        self.port = free_port()
        self.cmd = cmd(self.port)
        self.cwd = cwd
        self.env = {**env, "PORT": str(self.port)}
        self.log_path = log_path
        self.process: subprocess.Popen[Any] | None = None
        self.start_seconds = float("nan")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        started = time.perf_counter()
        with self.log_path.open("ab") as stderr:
            # Access logs go to stdout, which is discarded.
            self.process = spawn(
                self.cmd,
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                tail = self.log_path.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{self.name} exited at start-up:\n{tail}")
            with contextlib.suppress(OSError):
                status, _ = http("GET", self.url + "/health/live", timeout=2)
                if status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not answer within 60 s")
            time.sleep(0.05)
        self.start_seconds = time.perf_counter() - started
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            stop(self.process)

    def rss_kib(self) -> int:
        assert self.process is not None
        return rss_kib(self.process.pid)

    def cpu_seconds(self) -> float:
        assert self.process is not None
        return cpu_seconds(self.process.pid)


# ---- load generation


def _to_ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk_load(url: str, seconds: float, connections: int, headers: dict[str, str]) -> dict[str, Any]:
    cmd = [
        "wrk",
        "-t1",  # one thread leaves the other core to the one-worker server
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "5s",
        "--latency",
    ]
    for key, value in headers.items():
        cmd += ["-H", f"{key}: {value}"]
    _, output = run([*cmd, url], timeout=seconds + 60)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    total = re.search(r"(\d+) requests in", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if not (rps and p99 and p50 and total):
        raise RuntimeError(f"cannot read wrk output:\n{output}")
    return {
        "rps": float(rps.group(1)),
        "p50_ms": _to_ms(*p50.groups()),
        "p99_ms": _to_ms(*p99.groups()),
        "requests": int(total.group(1)),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
    }


async def _python_load(
    url: str, seconds: float, connections: int, headers: dict[str, str]
) -> dict[str, Any]:
    parts = urllib.parse.urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    lines = [f"GET {parts.path or '/'} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    latencies: list[float] = []
    counts = {"non_2xx": 0, "socket_errors": 0}
    deadline = time.perf_counter() + seconds

    async def connection() -> None:
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            counts["socket_errors"] += 1
            return
        try:
            while time.perf_counter() < deadline:
                sent = time.perf_counter()
                writer.write(request)
                status_line = await reader.readline()
                if not status_line:
                    counts["socket_errors"] += 1
                    return
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if length:
                    await reader.readexactly(length)
                latencies.append(time.perf_counter() - sent)
                if not 200 <= int(status_line.split()[1]) < 400:
                    counts["non_2xx"] += 1
        except (OSError, asyncio.IncompleteReadError):
            counts["socket_errors"] += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": pct(0.50) if latencies else float("nan"),
        "p99_ms": pct(0.99) if latencies else float("nan"),
        "requests": len(latencies),
        **counts,
    }


def python_load(
    url: str, seconds: float, connections: int, headers: dict[str, str]
) -> dict[str, Any]:
    return asyncio.run(_python_load(url, seconds, connections, headers))


# ---- the four subjects


def prepare_service(work: Path, database_url: str, redis_url: str) -> dict[str, Any]:
    """Render postgresql+redis+jwt, sync it, give it a private database."""
    uv = find_uv()
    project = work / "service"
    copier_copy(TEMPLATE, project, SERVER_DATA)
    env = base_env()
    run([uv, "sync", "-q"], cwd=project, env=env)
    python = project / ".venv" / "bin" / "python"

    admin = urllib.parse.urlsplit(database_url)
    db_name = f"bench_{secrets.token_hex(4)}"
    bench_url = urllib.parse.urlunsplit(admin._replace(path="/" + db_name))
    admin_script = textwrap.dedent(
        """
        import asyncio, sys
        import asyncpg

        async def main(url, sql):
            connection = await asyncpg.connect(url)
            try:
                await connection.execute(sql)
            finally:
                await connection.close()

        asyncio.run(main(sys.argv[1], sys.argv[2]))
        """
    )

    def admin_sql(sql: str) -> None:
        run([str(python), "-c", admin_script, database_url, sql], env=env, timeout=60)

    admin_sql(f'CREATE DATABASE "{db_name}"')
    service_env = {
        **env,
        "ENVIRONMENT": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
        "DATABASE_URL": bench_url,
        "REDIS_URL": redis_url,
        "LOG_LEVEL": "INFO",
        "ACCESS_TOKEN_EXPIRE_MINUTES": "600",
    }
    run([str(project / ".venv" / "bin" / SLUG), "migrate"], cwd=project, env=service_env)

    refs = work / "refs"
    refs.mkdir()
    (refs / "bare_asgi.py").write_text(BARE_ASGI)
    (refs / "minimal_fastapi.py").write_text(MINIMAL_FASTAPI)
    (refs / "minimal_fastapi_libs.py").write_text(MINIMAL_FASTAPI_WITH_LIBS)
    (refs / "launcher.py").write_text(LAUNCHER)
    return {
        "project": project,
        "python": python,
        "refs": refs,
        "env": service_env,
        "drop": lambda: admin_sql(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'),
    }


def log_in(base_url: str) -> tuple[dict[str, str], int]:
    """Register a user, log in, create an item: (auth headers, item id)."""
    email = f"bench-{secrets.token_hex(6)}@example.com"
    password = secrets.token_urlsafe(18)
    status, body = http(
        "POST", base_url + "/auth/register", json_body={"email": email, "password": password}
    )
    if status != 201:
        raise RuntimeError(f"register: {status} {body[:300]!r}")
    status, body = http(
        "POST", base_url + "/auth/login", form={"username": email, "password": password}
    )
    if status != 200:
        raise RuntimeError(f"login: {status} {body[:300]!r}")
    headers = {"Authorization": f"Bearer {json.loads(body)['access_token']}"}
    status, body = http(
        "POST", base_url + "/items", json_body={"name": "benchmark item"}, headers=headers
    )
    if status != 201:
        raise RuntimeError(f"create item: {status} {body[:300]!r}")
    item_id = int(json.loads(body)["id"])
    status, body = http("GET", f"{base_url}/items/{item_id}", headers=headers)
    if status != 200:
        raise RuntimeError(f"read item: {status} {body[:300]!r}")
    return headers, item_id


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
    python, refs, project = str(setup["python"]), setup["refs"], setup["project"]
    ref_env = base_env()
    subjects: dict[str, tuple[Callable[[int], list[str]], Path, dict[str, str]]] = {
        "bare ASGI": (lambda p: [python, "launcher.py", "bare_asgi:app", str(p)], refs, ref_env),
        "minimal FastAPI": (
            lambda p: [python, "launcher.py", "minimal_fastapi:app", str(p)],
            refs,
            ref_env,
        ),
        "minimal FastAPI+libs": (
            lambda p: [python, "launcher.py", "minimal_fastapi_libs:app", str(p)],
            refs,
            ref_env,
        ),
        # The console script directly (what `uv run acme-orders serve` ends up
        # running), so the pid is the server's own and VmRSS is its memory.
        "service": (
            lambda p: [str(project / ".venv" / "bin" / SLUG), "serve"],
            project,
            setup["env"],
        ),
    }
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
    ratios = {
        "service live rps / bare ASGI rps": [r[live]["rps"] / r[bare]["rps"] for r in rounds_data],
        "service live rps / minimal FastAPI rps": [
            r[live]["rps"] / r[minimal]["rps"] for r in rounds_data
        ],
        "minimal FastAPI rps / bare ASGI rps": [
            r[minimal]["rps"] / r[bare]["rps"] for r in rounds_data
        ],
        "service live CPU/req / bare ASGI CPU/req": [
            r[live]["cpu_us_per_request"] / r[bare]["cpu_us_per_request"] for r in rounds_data
        ],
        "service live CPU/req / minimal FastAPI CPU/req": [
            r[live]["cpu_us_per_request"] / r[minimal]["cpu_us_per_request"] for r in rounds_data
        ],
        "service items rps / service live rps": [
            r[items]["rps"] / r[live]["rps"] for r in rounds_data
        ],
        "service idle RSS / minimal FastAPI idle RSS": [
            r[live]["idle_rss_kib"] / r[minimal]["idle_rss_kib"] for r in rounds_data
        ],
        "service idle RSS / minimal FastAPI+libs idle RSS": [
            r[live]["idle_rss_kib"] / r[libs]["idle_rss_kib"] for r in rounds_data
        ],
        "minimal FastAPI idle RSS / bare ASGI idle RSS": [
            r[minimal]["idle_rss_kib"] / r[bare]["idle_rss_kib"] for r in rounds_data
        ],
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


# --------------------------------------------------------------------------


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
        choices=["render", "green", "serve"],
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

    parts = args.only or ["render", "green", "serve"]
    quick = args.quick
    plan = {
        "render_rounds": 3 if quick else 9,
        "green_rounds": 1 if quick else 5,
        "serve_rounds": 1 if quick else 5,
        "serve_seconds": 3.0 if quick else 10.0,
        "serve_warmup_seconds": 1.0 if quick else 2.0,
    }

    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGHUP, _exit_on_signal)
    atexit.register(stop_all)

    work = Path(tempfile.mkdtemp(prefix="template-bench-"))
    global PYCACHE_PREFIX
    if not args.inherit_bytecode_env:
        PYCACHE_PREFIX = work / "pycache"
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
