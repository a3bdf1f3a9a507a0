"""Application factory: settings, logging, request hooks, blueprints and the
runtime (settings and connections) the requests use."""

from apiflask import APIFlask

from acme_orders import health, observability, openapi
from acme_orders.auth import views as auth_views
from acme_orders.dependencies import open_runtime
from acme_orders.domain import BLUEPRINTS
from acme_orders.errors import install_error_handlers
from acme_orders.logs import configure_logging
from acme_orders.middleware import install_request_hooks
from acme_orders.observability import web as observability_web
from acme_orders.resources import RESOURCES
from acme_orders.runtime import Runtime
from acme_orders.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> APIFlask:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    app = APIFlask(
        __name__,
        title="Acme Orders",
        version="0.1.0",
        spec_path=openapi.SPEC_PATH,
        docs_path=openapi.DOCS_PATH,
    )
    app.description = "A production-ready backend service."
    app.config.update(
        DEBUG=settings.debug,
        # Werkzeug refuses a body past this as it reads it (413), one sent
        # without Content-Length included; middleware.py refuses a declared
        # one before reading.
        MAX_CONTENT_LENGTH=settings.max_request_body_bytes,
        **openapi.CONFIG,
    )
    open_runtime(app, Runtime(settings, RESOURCES))
    install_request_hooks(app, settings)
    install_error_handlers(app)
    openapi.install(app)

    app.register_blueprint(health.blueprint)
    auth_views.install(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    observability.setup(settings)
    observability_web.install(app, settings)
    return app
