"""Private, killable PostgreSQL, Redis and RabbitMQ servers for fault tests.

Each runs on a free port of 127.0.0.1 with its data in a temporary
directory, and is stopped by PID; the machine's own services (DESIGN.md
section 6) are never touched.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tests.project_runner import free_port


def _wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


def _postgres_bin(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))), None
    )
    assert found, f"{name} not found (PostgreSQL server binaries are needed)"
    return found


class PrivatePostgres:
    """A PostgreSQL cluster of its own (trust auth, user postgres)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        # initdb and postgres refuse to run as root.
        self.as_user: list[str] = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(folder, "postgres")
        self._run(_postgres_bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust")

    def _run(self, *command: str) -> None:
        subprocess.run([*self.as_user, *command], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._run(
            _postgres_bin("pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "log"),
            "-w",
            "start",
        )
        _wait_for_port(self.port)

    @contextlib.contextmanager
    def locked(self, table: str) -> Iterator[None]:
        """Hold an exclusive lock on ``table``: statements on it wait, mid-flight."""
        holder = subprocess.Popen(
            [
                _postgres_bin("psql"),
                self.url,
                "-c",
                f"BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(600)",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        granted = (
            "SELECT count(*) FROM pg_locks WHERE granted"
            f" AND relation = '{table}'::regclass AND mode = 'AccessExclusiveLock'"
        )
        try:
            deadline = time.monotonic() + 30
            while self._query(granted) != "1":
                assert time.monotonic() < deadline, f"no lock on {table} after 30 s"
                time.sleep(0.05)
            yield
        finally:
            holder.kill()
            holder.wait()

    def _query(self, sql: str) -> str:
        result = subprocess.run(
            [_postgres_bin("psql"), self.url, "-Atc", sql],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return result.stdout.strip()

    def stop(self) -> None:
        """Stop at once, as a crash would: connections are cut, not drained."""
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(
                _postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"
            )


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    folder = Path(tempfile.mkdtemp(prefix="private-pg-"))
    server = PrivatePostgres(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


class PrivateRedis:
    """A Redis server of its own that keeps nothing on disk."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        _wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(30)


@contextlib.contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    try:
        yield server
    finally:
        server.stop()


class PrivateBrokerRedis:
    """A Redis server of its own that keeps what it holds on disk, as the
    rendered compose.yaml's broker does, so that a restart loses nothing."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--dir", str(self.folder), "--save", ""]
        command += ["--appendonly", "yes", "--appendfsync", "everysec"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        _wait_for_port(self.port)

    def stop(self) -> None:
        """A shutdown (SIGTERM): Redis writes its append-only file out first."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(30)


@contextlib.contextmanager
def private_broker_redis() -> Iterator[PrivateBrokerRedis]:
    folder = Path(tempfile.mkdtemp(prefix="broker-redis-"))
    server = PrivateBrokerRedis(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


class PrivateRabbitMQ:
    """A RabbitMQ node of its own (node name, ports, data and config), whose
    guest user may log in from 127.0.0.1 as on the machine's node."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"amqp://guest:guest@127.0.0.1:{self.port}//"
        self.node = f"private-{self.port}@localhost"
        # The server drops to the rabbitmq user, which must write here.
        folder.chmod(0o777)
        (folder / "rabbitmq.conf").write_text(f"listeners.tcp.1 = 127.0.0.1:{self.port}\n")
        (folder / "enabled_plugins").write_text("[].\n")
        (folder / "enabled_plugins").chmod(0o666)
        self.pid_file = folder / "pid"

    def _env(self) -> dict[str, str]:
        return {
            **os.environ,
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_DIST_PORT": str(free_port()),
            "RABBITMQ_CONFIG_FILE": str(self.folder / "rabbitmq"),
            "RABBITMQ_MNESIA_BASE": str(self.folder / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.folder / "log"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.folder / "enabled_plugins"),
            "RABBITMQ_PID_FILE": str(self.pid_file),
        }

    def start(self) -> None:
        subprocess.Popen(
            ["rabbitmq-server"],
            env=self._env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        _wait_for_port(self.port, seconds=90)

    def stop(self) -> None:
        """A shutdown (SIGTERM to the node's PID), waited for."""
        with contextlib.suppress(FileNotFoundError, ValueError, ProcessLookupError):
            pid = int(self.pid_file.read_text().strip())
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                os.kill(pid, 0)
                time.sleep(0.2)
            os.kill(pid, signal.SIGKILL)


@contextlib.contextmanager
def private_rabbitmq() -> Iterator[PrivateRabbitMQ]:
    folder = Path(tempfile.mkdtemp(prefix="broker-rabbitmq-"))
    server = PrivateRabbitMQ(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
