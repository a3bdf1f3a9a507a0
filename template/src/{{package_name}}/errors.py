"""JSON error bodies that say what was wrong without echoing what was sent.

Unexpected errors are answered by the request middleware (middleware.py),
which logs the traceback and returns a JSON 500 with the request id.
"""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

# Parts of a validation error that repeat the client's input: a rejected
# password, for one, must not travel back in the response or into logs.
_ECHOED = frozenset({"input", "ctx", "url"})


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    errors: list[dict[str, Any]] = getattr(exc, "errors", list)()
    detail = [
        {key: value for key, value in error.items() if key not in _ECHOED}
        for error in errors
    ]
    return JSONResponse(status_code=422, content={"detail": detail})


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, validation_error)
