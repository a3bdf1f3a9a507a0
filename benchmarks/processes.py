"""Child processes: every child gets its own process group, killed on any exit.

Also the environment children run in, the copier and uv commands, and the
`Server` block that starts a server on a free port and reads its CPU and RSS.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from settings import COPIER

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


def exit_on_signal(signum: int, _frame: Any) -> None:
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


def cache_bytecode_in(prefix: Path) -> None:
    """Make children write bytecode under `prefix`, whatever the environment says."""
    global PYCACHE_PREFIX
    PYCACHE_PREFIX = prefix


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
# Servers


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


def free_ports(count: int) -> list[int]:
    """Distinct ports free on 127.0.0.1 (all held open until all are chosen)."""
    with contextlib.ExitStack() as stack:
        ports = []
        for _ in range(count):
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind(("127.0.0.1", 0))
            ports.append(sock.getsockname()[1])
        return ports


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
        # The service also listens on METRICS_PORT (/metrics, apart from the
        # API): a free one too, so no fixed port can clash.
        self.port, metrics_port = free_ports(2)
        self.cmd = cmd(self.port)
        self.cwd = cwd
        self.env = {**env, "PORT": str(self.port), "METRICS_PORT": str(metrics_port)}
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
