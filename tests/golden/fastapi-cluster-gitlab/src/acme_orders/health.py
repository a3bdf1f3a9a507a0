"""Liveness and readiness probes.

``live`` answers as long as the process can serve HTTP and touches nothing
else, so a database outage never gets healthy pods restarted. ``ready``
pings every resource, so traffic only reaches instances that can use them,
and fails as soon as the process is asked to stop (see server.py).
"""

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from acme_orders import lifecycle
from acme_orders.dependencies import AppRuntime

router = APIRouter(prefix="/health", tags=["health"])

PING_TIMEOUT_SECONDS = 2.0


@router.get("/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


class Readiness(BaseModel):
    """What /health/ready answers, with 200 or 503 alike."""

    status: str
    checks: dict[str, str]


@router.get(
    "/ready",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "Not ready"}},
)
async def ready(runtime: AppRuntime) -> JSONResponse:
    if lifecycle.is_draining():
        checks = lifecycle.DRAINING_CHECKS
    else:
        checks = await runtime.readiness(PING_TIMEOUT_SECONDS)
    status_code, body = lifecycle.readiness_answer(checks)
    return JSONResponse(status_code=status_code, content=body)
