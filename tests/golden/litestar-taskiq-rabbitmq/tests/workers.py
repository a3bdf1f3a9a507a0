"""A real task worker for the tests: ``acme-orders worker`` in a process of its own."""

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

# Seconds a worker gets to start, take a task and commit its effect.
WORKER_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_worker(variables: Mapping[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """The worker, with ``variables`` over this process's environment, until
    the block ends; then stopped by SIGTERM."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "acme_orders.cli", "worker"],
        # A port of its own for the worker's metrics: the service may be running.
        env={**os.environ, **variables, "METRICS_PORT": str(free_port())},
        stdout=subprocess.DEVNULL,
    )
    try:
        yield worker
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=WORKER_SECONDS)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
