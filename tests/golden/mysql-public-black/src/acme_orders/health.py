"""Liveness and readiness probes.

``live`` answers as long as the process can serve HTTP and touches nothing
else, so a database outage never gets healthy pods restarted. ``ready``
pings every resource, so traffic only reaches instances that can use them,
and fails as soon as the process is asked to stop (see server.py).
"""

import asyncio
import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from acme_orders import lifecycle
from acme_orders.resources import RESOURCES

logger = logging.getLogger(__name__)
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
async def ready(request: Request) -> JSONResponse:
    if lifecycle.is_draining():
        return JSONResponse(
            status_code=503,
            content={"status": "unavailable", "checks": {"serving": "unavailable"}},
        )
    checks: dict[str, str] = {}
    for resource in RESOURCES:
        try:
            await asyncio.wait_for(resource.ping(request.app), PING_TIMEOUT_SECONDS)
        except Exception:  # noqa: BLE001  (any failure means "not ready")
            logger.warning("readiness check failed", extra={"check": resource.NAME})
            checks[resource.NAME] = "unavailable"
        else:
            checks[resource.NAME] = "ok"
    healthy = all(state == "ok" for state in checks.values())
    return JSONResponse(
        status_code=200 if healthy else 503,
        content={"status": "ok" if healthy else "unavailable", "checks": checks},
    )
