"""FastAPI's CORS: Starlette's middleware, run only for browsers' requests.

The rest of the request handling every ASGI service shares is in
asgi_middleware.py.
"""

from typing import Any

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BrowserOnlyCORSMiddleware:
    """Starlette's CORS middleware, run only for requests that carry Origin.

    Only browsers send Origin, so the others (servers, probes, scrapers)
    skip its per-request header parsing; their responses still say
    ``Vary: Origin``, so a cache never hands them to a browser.
    """

    def __init__(self, app: ASGIApp, /, **options: Any) -> None:
        self.app = app
        self.cors = CORSMiddleware(app, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _has_header(scope, b"origin"):
            await self.cors(scope, receive, send)
            return

        async def send_with_vary(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), _VARY_ORIGIN]
            await send(message)

        await self.app(scope, receive, send_with_vary)


_VARY_ORIGIN = (b"vary", b"Origin")


def _has_header(scope: Scope, wanted: bytes) -> bool:
    return any(name == wanted for name, _ in scope["headers"])
