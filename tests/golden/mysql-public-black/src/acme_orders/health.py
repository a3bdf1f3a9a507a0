"""Liveness and readiness probes.

``live`` answers as long as the process can serve HTTP and touches nothing
else, so a database outage never gets healthy pods restarted. ``ready``
pings every resource, so traffic only reaches instances that can use them.
"""

import asyncio
import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from acme_orders.resources import RESOURCES

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/health", tags=["health"])

PING_TIMEOUT_SECONDS = 2.0


@router.get("/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/ready")
async def ready(request: Request) -> JSONResponse:
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
