"""Where the process is in its life, for the readiness probe.

Framework-free on purpose: the server sets it, health checks read it.
"""

import threading

# Set once SIGTERM arrived: the process still serves, but asks load
# balancers to send no new traffic (readiness answers 503).
_draining = threading.Event()


def start_draining() -> None:
    _draining.set()


def is_draining() -> bool:
    return _draining.is_set()
