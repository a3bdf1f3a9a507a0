"""A real task worker for the tests (``acme-orders worker`` in a process
of its own), and the queues and brokers the task tests use."""

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from pydantic import SecretStr

import acme_orders.celery_setup as queue_library
from acme_orders.settings import Settings

# Seconds a worker gets to start, take a task and commit its effect.
WORKER_SECONDS = 30
# The broker may count a task a moment after it confirmed it.
COUNTED_WITHIN_SECONDS = 5.0


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


def as_environment(settings: Settings) -> dict[str, str]:
    """The variables that give a process ``settings``."""
    variables = {}
    for name, value in settings.model_dump().items():
        if value is None:
            continue  # unset, as the variable would be
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        elif isinstance(value, list):
            value = ",".join(value)
        variables[name.upper()] = str(value)
    return variables


@contextmanager
def own_queue(settings: Settings) -> Iterator[Settings]:
    """``settings`` with a queue no other test sends to, deleted from the
    broker when the block ends."""
    queue = f"{settings.task_queue}-{os.urandom(4).hex()}"
    own = settings.model_copy(update={"task_queue": queue})
    try:
        yield own
    finally:
        queue_library.delete_queue(own)


def unreachable_broker(settings: Settings) -> Settings:
    """``settings`` with BROKER_URL on a port nothing listens on."""
    scheme = settings.broker_url.split("://", 1)[0]
    return settings.model_copy(update={"broker_url": f"{scheme}://127.0.0.1:1/0"})
