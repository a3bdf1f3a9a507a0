"""Liveness and readiness probes.

``live`` answers as long as the process can serve HTTP and touches nothing
else, so a database outage never gets healthy pods restarted. ``ready``
pings every resource, so traffic only reaches instances that can use them,
and fails as soon as the process is asked to stop (see server.py).
"""

from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.openapi import ResponseSpec
from pydantic import BaseModel

from acme_orders import lifecycle
from acme_orders.dependencies import runtime_of

PING_TIMEOUT_SECONDS = 2.0


class Readiness(BaseModel):
    """What /health/ready answers, with 200 or 503 alike."""

    status: str
    checks: dict[str, str]


class HealthController(Controller):
    path = "/health"
    tags = ["health"]  # noqa: RUF012  (Litestar reads it as a plain list)

    @get("/live", operation_id="live")
    async def live(self) -> dict[str, str]:
        return {"status": "ok"}

    @get(
        "/ready",
        operation_id="ready",
        responses={503: ResponseSpec(Readiness, description="Not ready")},
    )
    async def ready(self, state: State) -> Response[Readiness]:
        if lifecycle.is_draining():
            checks = lifecycle.DRAINING_CHECKS
        else:
            checks = await runtime_of(state).readiness(PING_TIMEOUT_SECONDS)
        status_code, body = lifecycle.readiness_answer(checks)
        return Response(Readiness.model_validate(body), status_code=status_code)
