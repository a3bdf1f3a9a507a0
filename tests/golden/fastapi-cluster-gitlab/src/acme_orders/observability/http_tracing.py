"""Traces of the FastAPI app's requests and of its database calls, on the
provider observability/tracing.py configures."""

from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.trace import TracerProvider

from acme_orders.observability import tracing
from acme_orders.settings import Settings


def install(app: FastAPI, settings: Settings) -> None:
    provider = tracing.configured_provider(settings)
    if provider is not None:
        instrument(app, provider)


def instrument(
    app: FastAPI, provider: TracerProvider, excluded_urls: str = tracing.EXCLUDED_URLS
) -> FastAPI:
    """Trace the app's requests and every database engine created from now on;
    the app is returned, traced, as every ASGI flavour returns it."""
    FastAPIInstrumentor.instrument_app(
        app, tracer_provider=provider, excluded_urls=excluded_urls
    )
    # Wraps create_async_engine, which db.py looks up at call time. The
    # instrumentor's metadata says SQLAlchemy < 2.1, which would make it
    # silently instrument nothing under 2.1; it only uses SQLAlchemy's stable
    # cursor events, so the check is skipped, and tests/test_tracing.py
    # fails the day query spans stop arriving.
    SQLAlchemyInstrumentor().instrument(tracer_provider=provider, skip_dep_check=True)
    return app
