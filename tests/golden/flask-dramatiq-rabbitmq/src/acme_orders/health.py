"""Liveness and readiness probes.

``live`` answers as long as the process can serve HTTP and touches nothing
else, so a database outage never gets healthy pods restarted. ``ready``
pings every resource, so traffic only reaches instances that can use them,
and fails as soon as the process is asked to stop (see server.py).
"""

from pydantic import BaseModel

from acme_orders import lifecycle
from acme_orders.dependencies import current_runtime
from acme_orders.validation import api_blueprint

blueprint = api_blueprint("health", __name__, url_prefix="/health", tag="health")

PING_TIMEOUT_SECONDS = 2.0


class Liveness(BaseModel):
    status: str


class Readiness(BaseModel):
    """What /health/ready answers, with 200 or 503 alike."""

    status: str
    checks: dict[str, str]


@blueprint.get("/live")
@blueprint.output(Liveness)
@blueprint.doc(operation_id="live")
def live() -> dict[str, str]:
    return {"status": "ok"}


@blueprint.get("/ready")
@blueprint.output(Readiness)
@blueprint.doc(operation_id="ready", responses={503: "Not ready"})
def ready() -> tuple[dict[str, object], int]:
    if lifecycle.is_draining():
        checks = lifecycle.DRAINING_CHECKS
    else:
        checks = current_runtime().readiness(PING_TIMEOUT_SECONDS)
    status_code, body = lifecycle.readiness_answer(checks)
    return body, status_code
