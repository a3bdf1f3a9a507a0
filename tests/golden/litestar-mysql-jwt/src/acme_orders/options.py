"""OPTIONS answers that list every method of the path.

Litestar 2 builds a path's automatic OPTIONS handler when the path's first
handler is registered, and its Allow keeps naming only that handler's
methods when a controller adds more (litestar-org/litestar#4169, fixed in
Litestar 3). The route itself knows them all: this hook answers from it.
CORS preflights (with Origin) never get here: the CORS middleware answers
them.
"""

from typing import Any

from litestar import Request, Response
from litestar.routes import HTTPRoute
from litestar.status_codes import HTTP_204_NO_CONTENT


def answer_options(request: Request[Any, Any, Any]) -> Response[None] | None:
    """A ``before_request`` hook: None lets every other request through."""
    if request.method != "OPTIONS":
        return None
    template = request.scope.get("path_template")
    for route in request.app.routes:
        if isinstance(route, HTTPRoute) and route.path_format == template:
            allowed = ", ".join(sorted(route.methods))
            return Response(
                None, status_code=HTTP_204_NO_CONTENT, headers={"Allow": allowed}
            )
    return None
