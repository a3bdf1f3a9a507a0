"""OpenTelemetry tracing of requests and database calls.

Configured by the standard OTEL_* variables (endpoint, headers, sampler);
with no OTEL_EXPORTER_OTLP_ENDPOINT set, nothing is exported or patched.
"""

from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from acme_orders.settings import Settings

# Probes and scrapes would drown the interesting spans.
EXCLUDED_URLS = "/health/.*,/metrics"


def setup(app: FastAPI, settings: Settings) -> None:
    if not settings.otel_exporter_otlp_endpoint:
        return
    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME: settings.otel_service_name})
    )
    # The exporter reads the endpoint and headers from the OTEL_* variables.
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    FastAPIInstrumentor.instrument_app(
        app, tracer_provider=provider, excluded_urls=EXCLUDED_URLS
    )
    # Wraps create_async_engine, which db.py looks up at call time.
    SQLAlchemyInstrumentor().instrument(tracer_provider=provider)
