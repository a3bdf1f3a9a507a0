"""JSON logs, one object per line, each carrying the current request id."""

import json
import logging
import sys
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

# Set by the request-id middleware for the duration of each request.
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

# Functions whose fields join every log line (tracing adds the trace and
# span ids), so the seams add context without this module knowing them.
LineFields = Callable[[], dict[str, str]]
_line_fields: list[LineFields] = []


def add_line_fields(fields: LineFields) -> None:
    _line_fields.append(fields)


# Attributes every LogRecord has; anything else was passed with `extra=`.
# uvicorn's color_message duplicates message with terminal escapes.
_RESERVED = frozenset(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "color_message",
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id is not None:
            entry["request_id"] = request_id
        for fields in _line_fields:
            entry.update(fields())
        attributes = record.__dict__
        if len(attributes) > _PLAIN_RECORD_SIZE:
            for key, value in attributes.items():
                if key not in _RESERVED:
                    entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return _encode(entry)


_PLAIN_RECORD_SIZE = len(vars(logging.makeLogRecord({})))
_encode = json.JSONEncoder(default=str).encode


def configure_logging(level: str) -> None:
    """Send every logger, uvicorn's included, through one JSON handler."""
    # Fields this formatter never writes, which the logging module would
    # otherwise look up for every record (its documented optimizations).
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # The request middleware writes one access line per request itself.
    logging.getLogger("uvicorn.access").disabled = True
    # Library warnings become JSON lines too, instead of bare text on stderr.
    logging.captureWarnings(True)
