"""Project tier: install rendered projects, run their own checks, boot and drive them.

For each framework x database x auth triple (spreading the other answers
across them), the rendered project must install with uv, pass mypy, its
linters and its layering contract, pass its own test suite against the real
database (and Redis), and then serve HTTP in production mode: the contract
driver (tests/contract.py: a client cannot tell the frameworks apart),
metrics, the refusal of bad tokens, a bounded schemathesis run (``--checks
all``, fixed seed) that finds nothing, and slow or oversized requests
refused. Start-up, shutdown, outages and shared limits run on one project of
each framework; the gates plant a defect and see it caught.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.contract import PLANTED_DEFECTS, ContractError, Tampering, drive_contract
from tests.private_services import private_postgres, private_redis
from tests.project_runner import (
    SHUTDOWN_SECONDS,
    ProjectRun,
    ServerDatabase,
    client_headers,
    drive_service,
    free_port,
    fuzz_service,
    json_log_entries,
    log_in,
    metrics_add_up_every_worker,
    running_service,
    running_worker,
    served,
    traces_reach_the_collector,
    wait_until_processed,
)
from tests.services import require_services_of
from tests.slow_clients import (
    REGISTRATION,
    SlowRequest,
    oversized_body_answer,
    poll_statuses,
    slow_body_answer,
    slow_headers_answer,
)

pytestmark = pytest.mark.project

# framework x database x auth, each triple once; the other answers vary so
# that every Python version, both code styles, Redis and every observability
# choice run with each framework.
FASTAPI_PROJECTS: list[dict[str, object]] = [
    {"database": "sqlite", "auth": "jwt"},
    {
        "database": "sqlite",
        "auth": "none",
        "python_version": "3.11",
        "code_style": "black-isort",
        "observability": [],
        "ci": "none",
    },
    {
        "database": "postgresql",
        "auth": "jwt",
        "cache": "redis",
        "python_version": "3.12",
        "observability": ["prometheus", "opentelemetry", "sentry"],
    },
    {
        "database": "postgresql",
        "auth": "none",
        "observability": ["opentelemetry"],
        "queue": "celery",
        "broker": "redis",
    },
    {
        "database": "mysql",
        "auth": "jwt",
        "cache": "redis",
        "python_version": "3.11",
        "code_style": "black-isort",
    },
    {
        "database": "mysql",
        "auth": "none",
        "python_version": "3.12",
        "observability": ["sentry"],
        "queue": "rq",
        "broker": "redis",
    },
]
# Django needs Python 3.12 or later.
DJANGO_PROJECTS: list[dict[str, object]] = [
    {"framework": "django", "database": "sqlite", "auth": "jwt"},
    {
        "framework": "django",
        "database": "sqlite",
        "auth": "none",
        "python_version": "3.12",
        "code_style": "black-isort",
        "observability": [],
        "ci": "none",
    },
    {
        "framework": "django",
        "database": "postgresql",
        "auth": "jwt",
        "cache": "redis",
        "observability": ["prometheus", "opentelemetry", "sentry"],
    },
    {
        "framework": "django",
        "database": "postgresql",
        "auth": "none",
        "cache": "redis",
        "observability": [],
        "queue": "celery",
        "broker": "rabbitmq",
    },
    {
        "framework": "django",
        "database": "mysql",
        "auth": "jwt",
        "cache": "redis",
        "code_style": "black-isort",
        "python_version": "3.12",
        "observability": ["opentelemetry"],
    },
    {
        "framework": "django",
        "database": "mysql",
        "auth": "none",
        "observability": ["sentry"],
        "queue": "taskiq",
        "broker": "redis",
    },
]
LITESTAR_PROJECTS: list[dict[str, object]] = [
    {
        "framework": "litestar",
        "database": "sqlite",
        "auth": "jwt",
        "python_version": "3.12",
        "code_style": "black-isort",
    },
    {"framework": "litestar", "database": "sqlite", "auth": "none", "observability": ["sentry"]},
    {
        "framework": "litestar",
        "database": "postgresql",
        "auth": "jwt",
        "cache": "redis",
        "observability": ["prometheus", "opentelemetry", "sentry"],
    },
    {
        "framework": "litestar",
        "database": "postgresql",
        "auth": "none",
        "python_version": "3.11",
        "observability": [],
        "ci": "none",
        "queue": "taskiq",
        "broker": "rabbitmq",
    },
    {
        "framework": "litestar",
        "database": "mysql",
        "auth": "jwt",
        "cache": "redis",
        "python_version": "3.11",
        "code_style": "black-isort",
        "observability": ["opentelemetry"],
    },
    {
        "framework": "litestar",
        "database": "mysql",
        "auth": "none",
        "python_version": "3.12",
        "queue": "dramatiq",
        "broker": "redis",
    },
]
FLASK_PROJECTS: list[dict[str, object]] = [
    {
        "framework": "flask",
        "database": "sqlite",
        "auth": "jwt",
        "observability": ["sentry"],
        "queue": "dramatiq",
        "broker": "rabbitmq",
    },
    {
        "framework": "flask",
        "database": "sqlite",
        "auth": "none",
        "python_version": "3.11",
        "code_style": "black-isort",
    },
    {
        "framework": "flask",
        "database": "postgresql",
        "auth": "jwt",
        "cache": "redis",
        "python_version": "3.12",
        "observability": ["prometheus", "opentelemetry", "sentry"],
    },
    {
        "framework": "flask",
        "database": "postgresql",
        "auth": "none",
        "observability": [],
        "ci": "none",
    },
    {
        "framework": "flask",
        "database": "mysql",
        "auth": "jwt",
        "cache": "redis",
        "python_version": "3.11",
        "code_style": "black-isort",
        "observability": ["opentelemetry"],
    },
    {"framework": "flask", "database": "mysql", "auth": "none", "python_version": "3.12"},
]
PROJECTS = FASTAPI_PROJECTS + DJANGO_PROJECTS + LITESTAR_PROJECTS + FLASK_PROJECTS


def _id(answers: dict[str, object]) -> str:
    named = f"{answers.get('framework', 'fastapi')}-{answers['database']}-{answers['auth']}"
    if answers.get("queue"):
        named += f"-{answers['queue']}-{answers['broker']}"
    return named


def first_per_framework(projects: list[dict[str, object]]) -> list[dict[str, object]]:
    firsts: dict[object, dict[str, object]] = {}
    for answers in projects:
        firsts.setdefault(answers.get("framework", "fastapi"), answers)
    return list(firsts.values())


# One project of each framework, for what each framework's server and web
# layer must do alike (start-up, shutdown, the database going away).
FIRST_OF_EACH_FRAMEWORK = first_per_framework(PROJECTS)


@pytest.fixture(scope="module", params=PROJECTS, ids=_id)
def project(
    request: pytest.FixtureRequest, rendered, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ProjectRun]:
    answers: dict[str, object] = request.param
    require_services_of(answers)
    workdir = tmp_path_factory.mktemp(_id(answers))
    yield ProjectRun.installed(rendered(answers), workdir, answers)


def test_type_checks(project: ProjectRun) -> None:
    project.check("mypy")


def test_layering_contract_holds(project: ProjectRun) -> None:
    project.check("lint-imports")


def test_linters(project: ProjectRun) -> None:
    project.check_style()


def test_own_test_suite_passes(project: ProjectRun) -> None:
    result = project.run("pytest", "-q", "-p", "no:cacheprovider")
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "skipped" not in result.stdout, result.stdout


def test_service_serves_http_in_production(project: ProjectRun) -> None:
    secret_key = secrets.token_urlsafe(48)
    with ServerDatabase.for_project(project) as database_url:
        env = project.service_env(
            database_url,
            ENVIRONMENT="production",
            SECRET_KEY=secret_key,
            CORS_ORIGINS="https://app.example.com",
            PORT=str(free_port()),
            REQUEST_HEADER_TIMEOUT_SECONDS="1",
            REQUEST_BODY_TIMEOUT_SECONDS="1",
        )
        if project.broker:
            # A queue of the test's own: others may share the broker.
            env["TASK_QUEUE"] = f"production-{secrets.token_hex(6)}"
        migrate = project.run(project.slug, "migrate", env=env)
        assert migrate.returncode == 0, migrate.stderr
        with running_service(project, env) as base_url, worker_if_queued(project, env):
            metrics_url = f"http://127.0.0.1:{env['METRICS_PORT']}"
            drive_service(base_url, project.answers, secret_key, metrics_url)
            if project.broker:
                wait_until_processed(base_url, project.answers)
            fuzz_service(base_url, project.answers)
            too_slow = slow_headers_answer(base_url)
            assert too_slow.startswith(b"HTTP/1.1 408")
            # Like every error: a JSON body and a header carrying one request id.
            head, _, body = too_slow.partition(b"\r\n\r\n")
            request_id = json.loads(body)["request_id"]
            assert f"x-request-id: {request_id}".encode() in head.lower()
            # A body that stops coming: 408 too, once its deadline passed.
            public_post = "/auth/register" if project.answers["auth"] == "jwt" else "/items"
            assert slow_body_answer(base_url, public_post).startswith(b"HTTP/1.1 408")
            assert oversized_body_answer(base_url).startswith(b"HTTP/1.1 413")


@contextlib.contextmanager
def worker_if_queued(project: ProjectRun, env: dict[str, str]) -> Iterator[None]:
    """With a task queue: its worker beside the service, on a queue of the
    test's own, its log all JSON."""
    if not project.broker:
        yield
        return
    worker_env = {**env, "METRICS_PORT": str(free_port())}
    with running_worker(project, worker_env) as log_path:
        yield
    # Celery writes its notice of a stop as plain text ("worker: Warm
    # shutdown (MainProcess)"), past any logging configuration.
    lines = log_path.read_text().splitlines()
    json_log_entries("\n".join(line for line in lines if not line.startswith("worker: ")))


UNSAFE_SETTINGS = {
    "unsafe values": {"DEBUG": "true", "CORS_ORIGINS": "*", "SECRET_KEY": "{secret}"},
    "malformed URLs": {
        "DATABASE_URL": "postgresql://app:{secret}@db:port/app",
        "REDIS_URL": "redis://:{secret}@cache:port/0",
    },
}


@pytest.mark.gates
@pytest.mark.parametrize("command", ["serve", "migrate"])
@pytest.mark.parametrize("case", UNSAFE_SETTINGS)
def test_unsafe_production_settings_are_refused_without_a_secret(
    project: ProjectRun, command: str, case: str
) -> None:
    """The refusal names every variable at fault and no piece of a secret."""
    secret = secrets.token_urlsafe(16)  # too short for a key: refused, never shown
    unsafe = {name: value.format(secret=secret) for name, value in UNSAFE_SETTINGS[case].items()}
    if project.answers.get("cache") != "redis":
        unsafe.pop("REDIS_URL", None)
    env = project.service_env(
        project.default_database_url(),
        ENVIRONMENT="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        CORS_ORIGINS="https://app.example.com",
        WEB_CONCURRENCY="2",
    )
    env.update(unsafe)
    result = project.run(project.slug, command, env=env, timeout=60)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    expected = set(unsafe) - ({"SECRET_KEY"} if project.answers["auth"] != "jwt" else set())
    assert {variable for variable in expected if variable not in output} == set(), output
    assert "Traceback" not in output, output
    pieces = {secret[i : i + 6] for i in range(len(secret) - 5)}
    assert not [piece for piece in pieces if piece in output], output


SERVER_DATABASE_PROJECTS = first_per_framework([p for p in PROJECTS if p["database"] != "sqlite"])


@pytest.mark.parametrize("project", SERVER_DATABASE_PROJECTS, ids=_id, indirect=True)
def test_migrate_without_a_database_says_so_in_one_line(project: ProjectRun) -> None:
    """The first `migrate` of a new project, with its database not started yet."""
    stopped = f"{project.database}://app:app@127.0.0.1:{free_port()}/app"
    result = project.run(project.slug, "migrate", env=project.service_env(stopped))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DATABASE_URL" in lines[0], result.stderr


@pytest.mark.parametrize("project", FIRST_OF_EACH_FRAMEWORK, ids=_id, indirect=True)
@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_failed_start_exits_non_zero(project: ProjectRun, workers: str) -> None:
    """A worker that cannot start stops the service with a failure, quickly.

    The SQLite folder cannot be created, so each worker's start-up fails.
    """
    env = project.service_env(
        "sqlite:////proc/no-such-folder/app.db",
        PORT=str(free_port()),
        WEB_CONCURRENCY=workers,
    )
    result = project.run(project.slug, "serve", env=env, timeout=60)
    assert result.returncode != 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.mark.parametrize("project", FIRST_OF_EACH_FRAMEWORK, ids=_id, indirect=True)
def test_shutdown_drains_then_stops_listening_then_finishes(project: ProjectRun) -> None:
    """SIGTERM: readiness fails first, then the listener closes, then in-flight work ends."""
    with ServerDatabase.for_project(project) as database_url:
        env = project.service_env(
            database_url,
            PORT=str(free_port()),
            WEB_CONCURRENCY="2",
            SHUTDOWN_DRAIN_SECONDS="2",
        )
        assert project.run(project.slug, "migrate", env=env).returncode == 0
        with served(project, env) as service:
            in_flight = SlowRequest(service.base_url, "/auth/register", REGISTRATION)
            service.process.send_signal(signal.SIGTERM)
            time.sleep(0.3)  # the supervisor passes SIGTERM on within 0.2 s
            during = poll_statuses(service.base_url, "/health/ready", seconds=1.5)
            after = poll_statuses(service.base_url, "/health/ready", seconds=2.5)
            answer = in_flight.finish()
            assert service.process.wait(SHUTDOWN_SECONDS) in {0, -signal.SIGTERM}
    # Draining: still serving, but not ready.
    assert during and set(during) == {503}, during
    # Then the listener is closed: new connections are refused at once. A
    # connection that lands in the accept queue as it closes is reset; none
    # may hang (a hang shows as a ReadTimeout).
    assert after[-1] == "refused", after
    assert set(after) <= {503, "refused", "RemoteProtocolError", "ReadError"}, after
    # The request that was in flight got its answer all the same.
    assert answer.startswith(b"HTTP/1.1 201") or answer.startswith(b"HTTP/1.1 401"), answer


SHARED_LIMIT_PROJECTS = first_per_framework(
    [p for p in PROJECTS if p["auth"] == "jwt" and p.get("cache") == "redis"]
)


@pytest.mark.parametrize("project", SHARED_LIMIT_PROJECTS, ids=_id, indirect=True)
def test_login_limit_holds_across_workers(project: ProjectRun) -> None:
    """With Redis, the login limit is shared by every worker process."""
    with ServerDatabase.for_project(project) as database_url:
        env = project.service_env(
            database_url,
            PORT=str(free_port()),
            WEB_CONCURRENCY="2",
            LOGIN_RATE_LIMIT="3",
        )
        assert project.run(project.slug, "migrate", env=env).returncode == 0
        with running_service(project, env) as base_url:
            form = {"username": f"{secrets.token_hex(6)}@example.com", "password": "x" * 12}
            # A new connection per attempt, so the kernel spreads them over
            # both workers' shared listening socket.
            headers = client_headers()
            statuses = [
                httpx.post(
                    f"{base_url}/auth/login", data=form, headers=headers, timeout=10
                ).status_code
                for _ in range(6)
            ]
    assert statuses == [401, 401, 401, 429, 429, 429]


@pytest.mark.gates
@pytest.mark.parametrize("project", FASTAPI_PROJECTS[:1], ids=_id, indirect=True)
def test_contract_driver_catches_each_planted_deviation(project: ProjectRun) -> None:
    """The same service, its answers changed on the way back one way at a time."""
    with ServerDatabase.for_project(project) as database_url:
        env = project.service_env(database_url, PORT=str(free_port()))
        assert project.run(project.slug, "migrate", env=env).returncode == 0
        with running_service(project, env) as base_url:
            for defect, report in PLANTED_DEFECTS.items():
                transport = Tampering(httpx.HTTPTransport(), defect)
                with (
                    httpx.Client(
                        base_url=base_url, transport=transport, headers=client_headers()
                    ) as client,
                    pytest.raises(ContractError) as caught,
                ):
                    drive_contract(client, auth=project.answers["auth"] == "jwt")
                assert report in str(caught.value), (defect, str(caught.value))


@pytest.mark.gates
@pytest.mark.parametrize("project", FASTAPI_PROJECTS[:1], ids=_id, indirect=True)
def test_fuzzing_catches_a_server_error(
    project: ProjectRun, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A route that crashes on a valid but unusual input is found by the fuzz run."""
    read_item = "    return ItemRead.model_validate(await _find(session, scope, item_id))"
    broken = project.broken_copy(
        tmp_path_factory.mktemp("broken"),
        "items/router.py",
        read_item,
        "    if item_id > 1_000_000:\n        raise RuntimeError\n" + read_item,
    )
    with ServerDatabase.for_project(broken) as database_url:
        env = broken.service_env(database_url, PORT=str(free_port()))
        assert broken.run(broken.slug, "migrate", env=env).returncode == 0
        # The service is entered before `raises`: a copy that fails to start
        # fails this test instead of passing it.
        with (
            running_service(broken, env) as base_url,
            pytest.raises(AssertionError) as caught,
        ):
            fuzz_service(base_url, broken.answers)
    report = str(caught.value)
    assert "Server error" in report, report
    assert "/items/{item_id}" in report and "500" in report, report


@pytest.mark.gates
@pytest.mark.parametrize("project", FASTAPI_PROJECTS[:1], ids=_id, indirect=True)
def test_type_check_catches_a_type_error(
    project: ProjectRun, tmp_path_factory: pytest.TempPathFactory
) -> None:
    broken = project.broken_copy(
        tmp_path_factory.mktemp("mistyped"),
        "items/service.py",
        "    return list(rows), total or 0",
        "    return list(rows), str(total or 0)",
    )
    result = broken.run("mypy")
    assert result.returncode != 0
    assert "service.py" in result.stdout, result.stdout


@pytest.mark.gates
@pytest.mark.parametrize("project", FASTAPI_PROJECTS[:1], ids=_id, indirect=True)
def test_layering_catches_a_web_import(
    project: ProjectRun, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The tables module reaching the routes (so `migrate` would load the
    web layer) breaks the contract, through the chain that leads there."""
    package = str(project.answers["package_name"])
    broken = project.broken_copy(
        tmp_path_factory.mktemp("layering"),
        "models.py",
        f"from {package}.db import Base\n",
        f"from {package}.db import Base\nfrom {package}.domain import ROUTERS  # noqa: F401\n",
    )
    result = broken.run("lint-imports")
    assert result.returncode != 0
    assert "1 broken" in result.stdout, result.stdout
    assert f"{package}.models -> {package}.domain" in result.stdout, result.stdout


TRACED_PROJECTS = [p for p in PROJECTS if "opentelemetry" in p.get("observability", ["prometheus"])]


@pytest.mark.parametrize("project", TRACED_PROJECTS, ids=_id, indirect=True)
def test_traces_reach_the_collector(project: ProjectRun) -> None:
    """With an OTLP endpoint set, request and database spans are exported to it."""
    traces_reach_the_collector(project)


METRICS_PROJECTS = [p for p in PROJECTS if "prometheus" in p.get("observability", ["prometheus"])]


@pytest.mark.parametrize("project", first_per_framework(METRICS_PROJECTS), ids=_id, indirect=True)
def test_metrics_add_up_every_worker(
    project: ProjectRun, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """In multiprocess mode a scrape counts the requests of both workers."""
    metrics_add_up_every_worker(project, tmp_path_factory.mktemp("prometheus"))


OUTAGE_PROJECTS = [
    p for p in PROJECTS if p["database"] == "postgresql" and p["auth"] == "jwt" and p.get("cache")
]


@pytest.mark.parametrize("project", OUTAGE_PROJECTS, ids=_id, indirect=True)
def test_outages_answer_503_and_the_service_recovers(project: ProjectRun) -> None:
    """Private PostgreSQL and Redis servers are stopped and started under the service.

    While one is down, requests that need it answer 503 with Retry-After and
    a JSON body, the log gets a line per outage rather than a traceback per
    request, and once it is back every request succeeds again.
    """
    with private_postgres() as postgres, private_redis() as redis:
        env = project.service_env(
            postgres.url,
            REDIS_URL=redis.url,
            PORT=str(free_port()),
            LOGIN_RATE_LIMIT="1000",
            WEB_CONCURRENCY="2",
        )
        assert project.run(project.slug, "migrate", env=env).returncode == 0
        with (
            served(project, env) as service,
            httpx.Client(base_url=service.base_url, timeout=10, headers=client_headers()) as client,
        ):
            user = log_in(client)
            email = client.get("/auth/me", headers=user).json()["email"]
            credentials = {"username": email, "password": "a long enough password"}

            def read_items(_: int) -> int:
                return httpx.get(
                    f"{service.base_url}/items",
                    headers={**client_headers(), **user},
                    timeout=10,
                ).status_code

            # Requests in flight when the database goes away fail on a
            # connection that breaks mid-statement: 503 as well, never 500.
            # A lock on the table holds them there until the server stops.
            log_before = service.log_path.stat().st_size
            with postgres.locked("items"), ThreadPoolExecutor(8) as pool:
                in_flight = pool.map(read_items, range(8))
                time.sleep(1)
                postgres.stop()
                statuses_while_stopping = list(in_flight)
            during = [client.get("/items", headers=user) for _ in range(50)]
            log_lines = service.log_path.read_text()[log_before:].splitlines()
            postgres.start()
            recovered_after = seconds_until(lambda: client.get("/items", headers=user))

            # Pooled connections to the stopped server are all closed: none
            # may fail a request once it is back (no ping before each use).
            with ThreadPoolExecutor(16) as pool:
                assert set(pool.map(read_items, range(48))) == {200}
            postgres.stop()
            postgres.start()
            with ThreadPoolExecutor(16) as pool:
                reads_after_restart = list(pool.map(read_items, range(48)))

            # Concurrent logins leave several pooled Redis connections in
            # each worker: after the restart every one of them is dead.
            def log_in_once(_: int) -> int:
                return httpx.post(
                    f"{service.base_url}/auth/login",
                    data=credentials,
                    headers=client_headers(),
                    timeout=10,
                ).status_code

            with ThreadPoolExecutor(16) as pool:
                assert set(pool.map(log_in_once, range(48))) == {200}
            redis.stop()
            limited = client.post("/auth/login", data=credentials)
            redis.start()
            logins = [log_in_once(attempt) for attempt in range(20)]

    assert statuses_while_stopping == [503] * 8
    assert {response.status_code for response in during} == {503}
    assert reads_after_restart == [200] * 48
    assert all(response.headers["retry-after"] for response in during)
    assert all(response.json()["request_id"] for response in during)
    assert not [line for line in log_lines if "Traceback" in line or '"ERROR"' in line]
    outage_lines = [line for line in log_lines if "unavailable" in line]
    assert 1 <= len(outage_lines) <= 2, outage_lines
    assert recovered_after < 30
    assert limited.status_code == 503 and limited.headers["retry-after"]
    # Pooled connections to the old Redis are dead: none may fail a request.
    assert logins == [200] * 20


def seconds_until(request: Callable[[], httpx.Response], limit: float = 30) -> float:
    """Seconds until ``request`` answers 2xx (``limit`` when it never does)."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if request().is_success:
            return time.monotonic() - started
        time.sleep(0.1)
    return limit


# Django's own gates: the production settings pass `check --deploy`, and the
# shipped migrations match the models; each catches its planted defect.
DJANGO_PRODUCTION = {
    "ENVIRONMENT": "production",
    "SECRET_KEY": "a-production-secret-that-is-long-and-random-0123456789",
    "CORS_ORIGINS": "https://app.example.com",
    "ALLOWED_HOSTS": "api.example.com",
}


def _deploy_check(project: ProjectRun) -> subprocess.CompletedProcess[str]:
    env = project.service_env(project.default_database_url(), **DJANGO_PRODUCTION)
    return project.run(
        project.slug, "manage", "check", "--deploy", "--fail-level", "WARNING", env=env
    )


def _migrations_check(project: ProjectRun) -> subprocess.CompletedProcess[str]:
    env = project.service_env(project.default_database_url(), ENVIRONMENT="development")
    return project.run(project.slug, "manage", "makemigrations", "--check", "--dry-run", env=env)


@pytest.mark.parametrize("project", DJANGO_PROJECTS[:1], ids=_id, indirect=True)
def test_django_deploy_check_passes_in_production(project: ProjectRun) -> None:
    result = _deploy_check(project)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("project", DJANGO_PROJECTS[:1], ids=_id, indirect=True)
def test_django_migrations_match_the_models(project: ProjectRun) -> None:
    result = _migrations_check(project)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.gates
@pytest.mark.parametrize("project", DJANGO_PROJECTS[:1], ids=_id, indirect=True)
def test_deploy_check_catches_debug_forced_on(
    project: ProjectRun, tmp_path_factory: pytest.TempPathFactory
) -> None:
    broken = project.broken_copy(
        tmp_path_factory.mktemp("debug-on"), "config/settings.py", "DEBUG = False", "DEBUG = True"
    )
    result = _deploy_check(broken)
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr, result.stdout + result.stderr


@pytest.mark.gates
@pytest.mark.parametrize("project", DJANGO_PROJECTS[:1], ids=_id, indirect=True)
def test_migrations_check_catches_a_model_change(
    project: ProjectRun, tmp_path_factory: pytest.TempPathFactory
) -> None:
    broken = project.broken_copy(
        tmp_path_factory.mktemp("unmigrated"),
        "items/models.py",
        "    created_at = models.DateTimeField(auto_now_add=True)\n",
        "    created_at = models.DateTimeField(auto_now_add=True)\n"
        "    priority = models.IntegerField(default=0)\n",
    )
    result = _migrations_check(broken)
    assert result.returncode != 0
    assert "priority" in result.stdout, result.stdout + result.stderr
