"""Where the process is in its life, for the readiness probe, and what the
workers of one run share.

Framework-free on purpose: the server sets it, health checks read it.
"""

import ctypes
import multiprocessing
import os
import secrets

# Set once SIGTERM arrived: the process still serves, but asks load
# balancers to send no new traffic (readiness answers 503). In shared
# memory, so workers forked from the process that drains see it too.
_draining = multiprocessing.RawValue(ctypes.c_bool, False)


def start_draining() -> None:
    _draining.value = True


def is_draining() -> bool:
    return bool(_draining.value)


# What /health/ready reports instead of pinging anything while draining.
DRAINING_CHECKS = {"serving": "unavailable"}


def readiness_answer(checks: dict[str, str]) -> tuple[int, dict[str, object]]:
    """The status and body /health/ready answers for these checks' states."""
    healthy = all(state == "ok" for state in checks.values())
    body: dict[str, object] = {
        "status": "ok" if healthy else "unavailable",
        "checks": checks,
    }
    return (200 if healthy else 503), body


# The workers of one `serve` inherit this variable from the supervisor,
# which creates it before starting them.
RUN_KEY_VARIABLE = "SERVICE_RUN_KEY"


def run_key() -> str:
    """A random value shared by this run's workers (created on first use).

    For what must agree across workers without being configured, such as
    the development signing key: tokens one worker signs, the others accept.
    """
    return os.environ.setdefault(RUN_KEY_VARIABLE, secrets.token_urlsafe(48))
