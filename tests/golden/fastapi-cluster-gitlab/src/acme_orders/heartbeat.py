"""The task worker's heartbeat: a file the worker touches while it works.

The worker's own loop beats every HEARTBEAT_SECONDS; ``acme-orders
worker-healthcheck`` (a container's health check) passes while the last beat
is recent. A worker that hangs or dies stops beating, and its container is
reported unhealthy (and restarted, where the platform does that).
"""

import tempfile
import time
from pathlib import Path

HEARTBEAT_SECONDS = 10.0
# Three missed beats: one slow beat is not a dead worker.
STALE_AFTER_SECONDS = 3 * HEARTBEAT_SECONDS


def heartbeat_file() -> Path:
    return Path(tempfile.gettempdir()) / "acme-orders-worker.heartbeat"


def beat() -> None:
    heartbeat_file().touch()


def is_beating() -> bool:
    """Whether the worker beat within STALE_AFTER_SECONDS."""
    try:
        age = time.time() - heartbeat_file().stat().st_mtime
    except FileNotFoundError:
        return False
    return age < STALE_AFTER_SECONDS
