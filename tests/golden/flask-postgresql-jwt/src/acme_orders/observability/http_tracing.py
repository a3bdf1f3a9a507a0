"""Traces of the Flask app's requests and of its database calls, on the
provider observability/tracing.py configures.

OpenTelemetry's Flask instrumentation names each span after the route
template (``GET /items/<item_id>``) and makes it current while the view
runs, so the request's log lines carry its trace id.
"""

from apiflask import APIFlask
from opentelemetry.instrumentation.flask import FlaskInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.trace import TracerProvider

from acme_orders import db
from acme_orders.dependencies import service_of
from acme_orders.observability import tracing
from acme_orders.settings import Settings


def install(app: APIFlask, settings: Settings) -> None:
    provider = tracing.configured_provider(settings)
    if provider is not None:
        instrument(app, provider)


def instrument(
    app: APIFlask, provider: TracerProvider, excluded_urls: str = tracing.EXCLUDED_URLS
) -> APIFlask:
    """Trace the app's requests and its database engine (the app opened it
    already), and every engine created from now on."""
    # skip_dep_check: see the FastAPI flavour's note (SQLAlchemy 2.1).
    SQLAlchemyInstrumentor().instrument(
        tracer_provider=provider,
        engine=db.database(service_of(app).runtime).engine,
        skip_dep_check=True,
    )
    FlaskInstrumentor.instrument_app(  # type: ignore[no-untyped-call]
        app, tracer_provider=provider, excluded_urls=excluded_urls
    )
    return app
