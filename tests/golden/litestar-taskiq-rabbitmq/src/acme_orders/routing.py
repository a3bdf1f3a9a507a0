"""Where Litestar 2's routing answers differently from the other frameworks,
and the hook that answers as they do.

- OPTIONS: Litestar builds a path's automatic OPTIONS handler when the
  path's first handler is registered, and its Allow keeps naming only that
  handler's methods when a controller adds more (litestar-org/litestar#4169,
  fixed in Litestar 3). The route itself knows them all. CORS preflights
  (with Origin) never get here: the CORS middleware answers them.
- A trailing slash: Litestar serves ``/items/`` as ``/items``; the other
  frameworks redirect it there (307 keeps the method and the body), so
  there is one URL per resource.
"""

from typing import Any

from litestar import Request, Response
from litestar.response import Redirect
from litestar.routes import HTTPRoute
from litestar.status_codes import HTTP_204_NO_CONTENT, HTTP_307_TEMPORARY_REDIRECT


async def answer_as_every_framework(
    request: Request[Any, Any, Any],
) -> Response[Any] | None:
    """A ``before_request`` hook: None lets the request through.

    A coroutine: Litestar runs a plain function hook in a worker thread, a
    hand-over on every request.
    """
    # As sent: Litestar has taken the trailing slash off scope["path"].
    path = request.scope.get("raw_path", b"").decode("latin-1")
    if len(path) > 1 and path.endswith("/"):
        query = request.scope["query_string"].decode("latin-1")
        location = path.rstrip("/") + (f"?{query}" if query else "")
        return Redirect(location, status_code=HTTP_307_TEMPORARY_REDIRECT)
    if request.method == "OPTIONS":
        return _allowed_methods(request)
    return None


def _allowed_methods(request: Request[Any, Any, Any]) -> Response[None] | None:
    template = request.scope.get("path_template")
    for route in request.app.routes:
        if isinstance(route, HTTPRoute) and route.path_format == template:
            allowed = ", ".join(sorted(route.methods))
            return Response(
                None, status_code=HTTP_204_NO_CONTENT, headers={"Allow": allowed}
            )
    return None
