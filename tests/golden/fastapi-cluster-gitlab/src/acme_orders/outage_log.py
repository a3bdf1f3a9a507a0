"""One log line per outage, not one per failed request.

During an outage every request fails the same way; a line per dependency in
each period says so, with the count of failures since the last line. Shared
by every framework's error handling (each worker process counts its own).
"""

import logging
import threading
import time

logger = logging.getLogger(__name__)

OUTAGE_LOG_PERIOD_SECONDS = 10.0
_last_reported: dict[str, float] = {}
_unreported: dict[str, int] = {}
# A threaded server's requests report at once.
_counting = threading.Lock()


def report_outage(name: str, error: BaseException) -> None:
    """Log that ``name`` is unreachable: one short line, at most once a period."""
    now = time.monotonic()
    with _counting:
        last = _last_reported.get(name)
        if last is not None and now - last < OUTAGE_LOG_PERIOD_SECONDS:
            _unreported[name] = _unreported.get(name, 0) + 1
            return
        _last_reported[name] = now
        failures = _unreported.pop(name, 0)
    logger.warning(
        "%s unavailable",
        name,
        extra={
            "dependency": name,
            "error": type(error).__name__,
            "failures_since_last_report": failures,
        },
    )
