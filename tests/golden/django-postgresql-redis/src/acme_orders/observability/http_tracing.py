"""Traces of Django's requests and of the database driver's queries, on the
provider observability/tracing.py configures."""

from opentelemetry.instrumentation.django import DjangoInstrumentor
from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
from opentelemetry.sdk.trace import TracerProvider

from acme_orders.observability import tracing
from acme_orders.settings import Settings


def install(settings: Settings) -> None:
    provider = tracing.configured_provider(settings)
    if provider is not None:
        instrument(provider)


def instrument(
    provider: TracerProvider, excluded_urls: str = tracing.EXCLUDED_URLS
) -> None:
    """Trace requests (Django's middleware, added first) and every query."""
    DjangoInstrumentor().instrument(
        tracer_provider=provider, excluded_urls=excluded_urls
    )
    PsycopgInstrumentor().instrument(tracer_provider=provider)
