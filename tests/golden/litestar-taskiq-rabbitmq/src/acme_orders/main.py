"""Application factory: settings, logging, the Litestar app, its routes and
resources, inside the middleware every ASGI service shares."""

import gc
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import cast

from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.types import OnAppInitHandler

from acme_orders import health, observability
from acme_orders.asgi_middleware import (
    ASGIApp,
    BodyLimitMiddleware,
    RequestContextMiddleware,
)
from acme_orders.auth.controller import AuthController
from acme_orders.auth.dependencies import SECURITY_COMPONENTS
from acme_orders.dependencies import (
    DEPENDENCIES,
    RUNTIME,
    close_sessions_when_done,
    runtime_of,
)
from acme_orders.domain import ROUTES
from acme_orders.errors import EXCEPTION_HANDLERS
from acme_orders.logs import configure_logging
from acme_orders.observability import web as observability_web
from acme_orders.openapi import DocsController, openapi_config
from acme_orders.resources import RESOURCES
from acme_orders.routing import answer_as_every_framework
from acme_orders.runtime import Runtime
from acme_orders.settings import Environment, Settings, get_settings


@asynccontextmanager
async def lifespan(app: Litestar) -> AsyncIterator[None]:
    async with runtime_of(app.state).running():
        # What exists now lives until exit: keep it out of the garbage
        # collector's full passes, which would otherwise walk it again and again.
        gc.freeze()
        yield


def create_litestar(
    settings: Settings, on_app_init: Sequence[OnAppInitHandler] = ()
) -> Litestar:
    """The Litestar app alone, before the shared middleware wraps it.

    ``on_app_init`` hooks may change its configuration before it is built
    (tests give it a session of their own that way).
    """
    return Litestar(
        route_handlers=[
            health.HealthController,
            DocsController,
            AuthController,
            *ROUTES,
        ],
        dependencies=DEPENDENCIES,
        exception_handlers=EXCEPTION_HANDLERS,
        before_request=answer_as_every_framework,
        middleware=[close_sessions_when_done],
        state=State({RUNTIME: Runtime(settings, RESOURCES)}),
        lifespan=[lifespan],
        on_app_init=on_app_init,
        debug=settings.debug,
        cors_config=CORSConfig(
            allow_origins=settings.cors_origins,
            # Bearer tokens, not cookies: browsers need not send credentials.
            allow_credentials=False,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
            expose_headers=["X-Request-ID"],
        ),
        # Logging is the service's own (logs.py): JSON lines, one access line
        # per request from the request-context middleware.
        logging_config=None,
        openapi_config=openapi_config(
            title="Acme Orders",
            description="A production-ready backend service.",
            components=SECURITY_COMPONENTS,
        ),
    )


def create_app(
    settings: Settings | None = None, on_app_init: Sequence[OnAppInitHandler] = ()
) -> ASGIApp:
    """The service: the Litestar app inside the middleware every ASGI service
    shares, outermost, so 404s, 405s and errors get the request id too."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    observability.setup(settings)
    # Litestar spells the ASGI messages as TypedDicts; the shared middleware
    # passes them on as plain mappings.
    app = cast("ASGIApp", create_litestar(settings, on_app_init))
    limited = BodyLimitMiddleware(app, max_bytes=settings.max_request_body_bytes)
    served = RequestContextMiddleware(
        limited,
        hsts=settings.environment is Environment.PRODUCTION,
        debug=settings.debug,
    )
    return observability_web.wrap(served, settings)
