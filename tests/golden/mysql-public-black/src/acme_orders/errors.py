"""JSON error bodies for every failure; tracebacks go to the log, not the client."""

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from acme_orders.logs import request_id_var

logger = logging.getLogger(__name__)


async def unhandled_error(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error", extra={"path": request.url.path})
    return JSONResponse(
        status_code=500,
        content={"detail": "Internal Server Error", "request_id": request_id_var.get()},
    )


def install_error_handlers(app: FastAPI) -> None:
    # HTTPException and validation errors already answer JSON ({"detail": ...})
    # in FastAPI; only the unexpected needs a handler of its own.
    app.add_exception_handler(Exception, unhandled_error)
