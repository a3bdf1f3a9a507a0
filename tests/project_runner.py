"""Run a rendered project's own tools, and its server, the way a developer would."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import http.server
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import yaml

from tests.contract import drive_contract

# The machine's services (DESIGN.md section 6), in the plain URL forms that
# rendered projects accept; DATABASE_URL / REDIS_URL in the environment win.
MACHINE_DATABASES = {
    "postgresql": "postgresql://postgres@127.0.0.1:5432/test",
    "mysql": "mysql://root@127.0.0.1:3306/test",
}
MACHINE_REDIS = "redis://127.0.0.1:6379/0"
# Task queue brokers, by the `broker` answer; BROKER_URL in the environment wins.
MACHINE_BROKERS = {
    "redis": "redis://127.0.0.1:6379/2",
    "rabbitmq": "amqp://guest:guest@127.0.0.1:5672//",
}
STARTUP_SECONDS = 60
SHUTDOWN_SECONDS = 30
# Tests stop services often; the drain before a stop is tested on its own.
TEST_DRAIN_SECONDS = "0.2"
# Generated requests per operation and fuzzing phase.
FUZZ_EXAMPLES = 25


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ProjectRun:
    """A rendered project with its own virtual environment, created by ``uv sync``."""

    def __init__(self, path: Path, answers: dict[str, object]) -> None:
        self.path = path
        recorded = yaml.safe_load((path / ".copier-answers.yml").read_text())
        self.answers = {**recorded, **answers}
        self.slug = str(self.answers["project_slug"])
        self.database = str(self.answers["database"])
        # The broker of a chosen queue, or "" (Copier records no broker without one).
        has_queue = self.answers.get("queue", "none") != "none"
        self.broker = str(self.answers.get("broker", "redis")) if has_queue else ""

    def base_env(self, **extra: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            # The template's own environment must not leak into the project's.
            if key not in {"VIRTUAL_ENV", "DATABASE_URL", "REDIS_URL", "BROKER_URL", "PYTHONPATH"}
        }
        env.update(UV_NO_PROGRESS="1", NO_COLOR="1")
        env.update(extra)
        return env

    def test_env(self) -> dict[str, str]:
        extra = {"REDIS_URL": os.environ.get("REDIS_URL", MACHINE_REDIS)}
        if self.database in MACHINE_DATABASES:
            extra["DATABASE_URL"] = os.environ.get("DATABASE_URL", MACHINE_DATABASES[self.database])
        if self.broker:
            extra["BROKER_URL"] = os.environ.get("BROKER_URL", MACHINE_BROKERS[self.broker])
        return self.base_env(**extra)

    @classmethod
    def installed(cls, render: Path, folder: Path, answers: dict[str, object]) -> ProjectRun:
        """A copy of ``render`` in ``folder``, with its own virtual environment."""
        run = cls(Path(shutil.copytree(render, folder / "project", symlinks=True)), answers)
        run.sync()
        return run

    def sync(self) -> None:
        result = subprocess.run(
            ["uv", "sync"],
            cwd=self.path,
            env=self.base_env(),
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert result.returncode == 0, result.stderr

    def run(
        self, *args: str, env: dict[str, str] | None = None, timeout: float = 600
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["uv", "run", "--no-sync", *args],
            cwd=self.path,
            env=env or self.test_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def check(self, *args: str) -> None:
        result = self.run(*args)
        assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout}{result.stderr}"

    def check_style(self) -> None:
        """The project's formatter and linters, as its CI runs them: nothing to change."""
        if self.answers.get("code_style") == "black-isort":
            self.check("flake8")
            self.check("black", "--check", ".")
            self.check("isort", "--check-only", ".")
        else:
            self.check("ruff", "check", ".")
            self.check("ruff", "format", "--check", ".")

    def broken_copy(
        self, folder: Path, module: str, old: str, new: str, *more: tuple[str, str, str]
    ) -> ProjectRun:
        """A copy of the project with a planted defect (``old`` replaced by
        ``new`` in ``module``, and each further (module, old, new) of ``more``),
        installed on its own.

        The copy gets a virtual environment of its own: the original's
        editable install points at the original sources.
        """
        copy = Path(
            shutil.copytree(self.path, folder / "project", ignore=shutil.ignore_patterns(".venv"))
        )
        for changed, before, after in ((module, old, new), *more):
            path = copy / "src" / str(self.answers["package_name"]) / changed
            source = path.read_text(encoding="utf-8")
            assert before in source, f"{before!r} not in {changed}"
            path.write_text(source.replace(before, after, 1), encoding="utf-8")
        broken = ProjectRun(copy, self.answers)
        broken.sync()
        return broken

    def default_database_url(self) -> str:
        if self.database == "sqlite":
            return f"sqlite:///{self.path}/data/app.db"
        return self.test_env()["DATABASE_URL"]

    def service_env(self, database_url: str, **extra: str) -> dict[str, str]:
        env = self.test_env()
        env.update(
            DATABASE_URL=database_url,
            HOST="127.0.0.1",
            WEB_CONCURRENCY="1",
            SHUTDOWN_DRAIN_SECONDS=TEST_DRAIN_SECONDS,
            # Services run side by side: none may take the default port.
            METRICS_PORT=str(free_port()),
        )
        env.update(extra)
        return env


class ServerDatabase:
    """A fresh, empty database for one server run, dropped afterwards."""

    @staticmethod
    @contextlib.contextmanager
    def for_project(project: ProjectRun) -> Iterator[str]:
        if project.database == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                yield f"sqlite:///{folder}/service.db"
            return
        server = project.default_database_url()
        name = f"service_{uuid.uuid4().hex[:12]}"
        run_sql(project.database, server, f"CREATE DATABASE {name}")
        try:
            yield server.rsplit("/", 1)[0] + "/" + name
        finally:
            # FORCE (PostgreSQL 13+): a killed process's sessions may outlive it briefly.
            force = " WITH (FORCE)" if project.database == "postgresql" else ""
            run_sql(project.database, server, f"DROP DATABASE IF EXISTS {name}{force}")


def run_sql(database: str, server_url: str, statement: str) -> str:
    """Run one statement with the database's own command-line client; its
    rows, one a line, values only."""
    url = urllib.parse.urlsplit(server_url)
    host = url.hostname or "127.0.0.1"
    if database == "postgresql":
        command = ["psql", "-h", host, "-p", str(url.port or 5432)]
        command += ["-U", url.username or "postgres", "-d", url.path.lstrip("/")]
        command += ["-v", "ON_ERROR_STOP=1", "-tA", "-c", statement]
    else:
        command = ["mariadb", "-h", host, "-P", str(url.port or 3306)]
        command += ["-u", url.username or "root", "-N", "-B", "-e", statement]
    env = {**os.environ, "PGPASSWORD": url.password or "", "MYSQL_PWD": url.password or ""}
    result = subprocess.run(
        command, check=True, capture_output=True, text=True, env=env, timeout=60
    )
    return result.stdout.strip()


class Service:
    """A served project: its URL, process and log."""

    def __init__(self, base_url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
        self.base_url = base_url
        self.process = process
        self.log_path = log_path


# What each framework's server logs as the last step of a graceful stop:
# uvicorn for the ASGI frameworks, gunicorn for the WSGI ones.
SHUTDOWN_LINES = {
    "fastapi": "Application shutdown complete",
    "litestar": "Application shutdown complete",
    "django": "Shutting down: Master",
    "flask": "Shutting down: Master",
}


@contextlib.contextmanager
def served(project: ProjectRun, env: dict[str, str]) -> Iterator[Service]:
    """Serve the project until the block ends, then stop it as an orchestrator would."""
    base_url = f"http://127.0.0.1:{env['PORT']}"
    log_path = project.path / f"service-{env['PORT']}.log"
    with log_path.open("w") as log:
        # The virtual environment's script, as the Docker image runs it: no
        # `uv run` in between to receive the stop signal.
        process = subprocess.Popen(
            [str(project.path / ".venv" / "bin" / project.slug), "serve"],
            cwd=project.path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_live(base_url, process, log_path)
            yield Service(base_url, process, log_path)
        finally:
            # SIGTERM to the main process only, as Docker and Kubernetes send it.
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            try:
                returncode = process.wait(SHUTDOWN_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                raise AssertionError("the service ignored SIGTERM") from None
    log_text = log_path.read_text()
    # uvicorn finishes in-flight work, then re-raises the signal it caught,
    # so a graceful stop ends "killed by SIGTERM" after the shutdown lines.
    assert returncode in {0, -signal.SIGTERM}, log_text
    assert SHUTDOWN_LINES[str(project.answers.get("framework", "fastapi"))] in log_text, log_text
    _assert_json_logs(log_text)


@contextlib.contextmanager
def running_service(project: ProjectRun, env: dict[str, str]) -> Iterator[str]:
    with served(project, env) as service:
        yield service.base_url


def _wait_until_live(base_url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the service exited at start-up:\n{log_path.read_text()}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base_url}/health/live", timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    raise AssertionError(f"the service did not come up:\n{log_path.read_text()}")


def json_log_entries(text: str) -> list[dict[str, object]]:
    """Every line of a log, each a JSON object (or the test fails)."""
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines, "nothing was logged"
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            raise AssertionError(f"log line is not JSON: {line!r}") from None
    return entries


def _assert_json_logs(text: str) -> None:
    """Every line is a JSON object; every access line carries a request id."""
    entries = json_log_entries(text)
    access = [entry for entry in entries if entry.get("message") == "request"]
    assert access, "no access log lines"
    assert all(entry.get("request_id") for entry in access), access[:3]


@contextlib.contextmanager
def running_worker(project: ProjectRun, env: dict[str, str]) -> Iterator[Path]:
    """``<slug> worker`` until the block ends, stopped by SIGTERM; its log."""
    log_path = project.path / f"worker-{uuid.uuid4().hex[:8]}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(project.path / ".venv" / "bin" / project.slug), "worker"],
            cwd=project.path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield log_path
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(SHUTDOWN_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                raise AssertionError(
                    f"the worker ignored SIGTERM:\n{log_path.read_text()}"
                ) from None


def wait_until_processed(base_url: str, answers: dict[str, object]) -> float:
    """Create an item through the API; seconds until a worker stamped it."""
    with httpx.Client(base_url=base_url, timeout=10, headers=client_headers()) as client:
        headers: dict[str, str] = {}
        if answers["auth"] == "jwt":
            email = f"worker-{uuid.uuid4().hex[:12]}@example.com"
            password = secrets.token_urlsafe(16)
            client.post("/auth/register", json={"email": email, "password": password})
            login = client.post("/auth/login", data={"username": email, "password": password})
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        created = client.post("/items", json={"name": "for the worker"}, headers=headers)
        assert created.status_code == 201, created.text
        started = time.monotonic()
        while time.monotonic() - started < STARTUP_SECONDS:
            item = client.get(f"/items/{created.json()['id']}", headers=headers).json()
            if item["processed_at"] is not None:
                return time.monotonic() - started
            time.sleep(0.2)
    raise AssertionError("no worker processed the item")


def client_headers() -> dict[str, str]:
    """Headers of a client with an address of its own.

    The service believes X-Forwarded-For from 127.0.0.1 (its default
    FORWARDED_ALLOW_IPS), so each test is its own client for the rate limits,
    whose counters in a shared Redis outlive a test.
    """
    octets = secrets.token_bytes(3)
    return {"X-Forwarded-For": "10." + ".".join(str(octet) for octet in octets)}


def drive_service(
    base_url: str, answers: dict[str, object], secret_key: str = "", metrics_url: str = ""
) -> None:
    """What a production process adds to the HTTP contract (tests/contract.py,
    which this runs first): HSTS, the metrics listener, and the refusal of
    tokens signed wrongly, expired or for another algorithm.

    ``secret_key`` is the service's SECRET_KEY, to make tokens it must refuse;
    ``metrics_url`` the address of its metrics listener.
    """
    with httpx.Client(base_url=base_url, timeout=10, headers=client_headers()) as client:
        queue = answers.get("queue", "none") != "none"
        drive_contract(client, auth=answers["auth"] == "jwt", queue=queue)

        live = client.get("/health/live")
        assert live.headers["strict-transport-security"].startswith("max-age=")

        if "prometheus" in (answers.get("observability") or []):
            # On the metrics port, and only there.
            assert client.get("/metrics").status_code == 404
            metrics = httpx.get(f"{metrics_url}/metrics", timeout=10)
            assert metrics.status_code == 200
            assert "http_requests_total" in metrics.text

        if answers["auth"] == "jwt":
            _refuses_bad_tokens_of(client, log_in(client), secret_key)


def fuzz_service(base_url: str, answers: dict[str, object]) -> None:
    """Throw generated requests at every operation: every check must hold.

    ``--checks all``: no 5xx, and every answer matches the OpenAPI schema
    (documented status, body, headers, Allow on 405, schema-valid requests
    accepted). Bounded (a fixed number of examples per operation and a fixed
    seed, so a failure reproduces) and aimed at 127.0.0.1 only.
    """
    client = client_headers()
    headers = ["--header", f"X-Forwarded-For: {client['X-Forwarded-For']}"]
    if answers["auth"] == "jwt":
        with httpx.Client(base_url=base_url, timeout=10, headers=client) as http:
            token = log_in(http)["Authorization"]
        headers += ["--header", f"Authorization: {token}"]
    schemathesis = Path(sys.executable).with_name("st")
    command = [
        *(str(schemathesis), "run", f"{base_url}/openapi.json", *headers),
        *("--checks", "all", "--max-examples", str(FUZZ_EXAMPLES), "--seed", "1"),
        *("--request-timeout", "20", "--no-color"),
    ]
    # A fresh working directory: schemathesis keeps a cache of past failures
    # there and would replay them, so runs would stop being independent.
    with tempfile.TemporaryDirectory() as scratch:
        result = subprocess.run(
            command,
            cwd=scratch,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    report = result.stdout[-8000:] + result.stderr[-2000:]
    # Exit status 1 means "failures found"; anything else is a broken run
    # (a bad option, an unreachable schema) that must not pass for a finding.
    assert result.returncode in {0, 1}, f"schemathesis did not run:\n{report}"
    assert result.returncode == 0, report


def log_in(client: httpx.Client) -> dict[str, str]:
    email = f"user-{uuid.uuid4().hex[:10]}@example.com"
    password = "a long enough password"
    registered = client.post("/auth/register", json={"email": email, "password": password})
    assert registered.status_code == 201, registered.text
    login = client.post("/auth/login", data={"username": email, "password": password})
    assert login.status_code == 200, login.text
    assert login.json()["expires_in"] > 0
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


class FakeCollector:
    """An OTLP/HTTP endpoint on 127.0.0.1 that keeps every request body it receives."""

    def __init__(self) -> None:
        self.bodies: list[tuple[str, bytes]] = []
        collector = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                collector.bodies.append((self.path, self.rfile.read(length)))
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeCollector:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, path: str, needle: bytes, seconds: float = 15) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if any(p == path and needle in body for p, body in self.bodies):
                return True
            time.sleep(0.2)
        return False


def sign_token(claims: dict[str, object], key: str) -> str:
    """An HS256 JSON Web Token, made here so that tests can forge and expire them."""

    def part(data: bytes) -> bytes:
        return base64.urlsafe_b64encode(data).rstrip(b"=")

    header = part(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = part(json.dumps(claims).encode())
    signature = hmac.new(key.encode(), header + b"." + payload, hashlib.sha256).digest()
    return b".".join([header, payload, part(signature)]).decode()


def _refuses_bad_tokens_of(client: httpx.Client, user: dict[str, str], key: str) -> None:
    """Tokens for a real, registered user: good when made right, 401 when not."""
    me = client.get("/auth/me", headers=user)
    assert me.status_code == 200, me.text
    now = int(time.time())
    claims = {"sub": str(me.json()["id"]), "type": "access", "iat": now, "exp": now + 300}
    tokens = {
        "well-made": sign_token(claims, key),
        "forged": sign_token(claims, key + "-but-another"),
        "expired": sign_token({**claims, "iat": now - 3600, "exp": now - 60}, key),
        "padded subject": sign_token({**claims, "sub": f" {claims['sub']}"}, key),
        "subject out of range": sign_token({**claims, "sub": str(2**31)}, key),
    }
    statuses = {
        name: client.get("/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code
        for name, token in tokens.items()
    }
    expected = dict.fromkeys(tokens, 401) | {"well-made": 200}
    assert statuses == expected


def traces_reach_the_collector(project: ProjectRun) -> None:
    """With an OTLP endpoint set, request and database spans are exported to it."""
    with ServerDatabase.for_project(project) as database_url, FakeCollector() as collector:
        env = project.service_env(
            database_url,
            PORT=str(free_port()),
            OTEL_EXPORTER_OTLP_ENDPOINT=collector.endpoint,
            # Export within a fraction of a second instead of every 5 s.
            OTEL_BSP_SCHEDULE_DELAY="100",
        )
        assert project.run(project.slug, "migrate", env=env).returncode == 0
        with served(project, env) as service:
            base_url = service.base_url
            headers = client_headers()
            if project.answers["auth"] == "jwt":
                with httpx.Client(base_url=base_url, headers=headers) as client:
                    headers |= log_in(client)
            httpx.get(f"{base_url}/items", headers=headers, timeout=10)
            assert collector.wait_for("/v1/traces", b"/items"), collector.bodies
            assert collector.wait_for("/v1/traces", b"SELECT"), "no database span exported"
            log = service.log_path.read_text()
    # The access line of a traced request names its trace.
    access = [json.loads(line) for line in log.splitlines() if '"path": "/items"' in line]
    assert access and all(len(line.get("trace_id", "")) == 32 for line in access), access


def metrics_add_up_every_worker(project: ProjectRun, multiprocess_dir: Path) -> None:
    """In multiprocess mode a scrape counts the requests of both workers."""
    with ServerDatabase.for_project(project) as database_url:
        env = project.service_env(
            database_url,
            PORT=str(free_port()),
            WEB_CONCURRENCY="2",
            PROMETHEUS_MULTIPROC_DIR=str(multiprocess_dir),
        )
        assert project.run(project.slug, "migrate", env=env).returncode == 0
        with running_service(project, env) as base_url:
            for _ in range(20):
                # A new connection each time, spread over both workers.
                httpx.get(f"{base_url}/health/live", timeout=10)
            metrics_url = f"http://127.0.0.1:{env['METRICS_PORT']}/metrics"
            scrapes = [httpx.get(metrics_url, timeout=10).text for _ in range(3)]
    pattern = r'http_requests_total\{[^}]*route="/health/live"[^}]*\} (\d+)'
    counts = [sum(float(n) for n in re.findall(pattern, text)) for text in scrapes]
    assert all(count >= 20 for count in counts), counts
