"""Application factory: settings, logging, middleware, routers and resources."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from acme_orders import health, observability
from acme_orders.asgi_middleware import (
    BodyLimitMiddleware,
    RequestContextMiddleware,
)
from acme_orders.auth.router import router as auth_router
from acme_orders.dependencies import attach_runtime, runtime_of
from acme_orders.domain import ROUTERS
from acme_orders.errors import install_error_handlers
from acme_orders.logs import configure_logging
from acme_orders.middleware import BrowserOnlyCORSMiddleware
from acme_orders.observability import web as observability_web
from acme_orders.resources import RESOURCES
from acme_orders.runtime import Runtime
from acme_orders.settings import Environment, Settings, get_settings


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    async with runtime_of(app).running():
        # What exists now lives until exit: keep it out of the garbage
        # collector's full passes, which would otherwise walk it again and again.
        gc.freeze()
        yield


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    app = FastAPI(
        title="Acme Orders",
        description="A production-ready backend service.",
        version="0.1.0",
        debug=settings.debug,
        lifespan=lifespan,
        # Short operationIds named after the action (login, get_item, ...):
        # generated clients read them as method names.
        generate_unique_id_function=lambda route: route.name,
    )
    attach_runtime(app, Runtime(settings, RESOURCES))

    app.add_middleware(
        BrowserOnlyCORSMiddleware,
        allow_origins=settings.cors_origins,
        # Bearer tokens, not cookies: browsers need not send credentials.
        allow_credentials=False,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
        expose_headers=["X-Request-ID"],
    )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_body_bytes)
    # Added last, so it runs first: every response, CORS and errors included,
    # carries the request id and the security headers.
    app.add_middleware(
        RequestContextMiddleware,
        hsts=settings.environment is Environment.PRODUCTION,
        debug=settings.debug,
    )
    install_error_handlers(app)

    app.include_router(health.router)
    app.include_router(auth_router)
    for router in ROUTERS:
        app.include_router(router)
    observability.setup(settings)
    observability_web.install(app, settings)
    return app
