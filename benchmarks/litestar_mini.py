"""A one-route Litestar app: the floor of the Litestar service's /health/live.

Litestar's defaults, one async handler answering the service's JSON: what
the framework itself costs per request, before the template adds anything.
"""

from litestar import Litestar, get


@get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


app = Litestar(route_handlers=[live])
