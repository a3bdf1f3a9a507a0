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
    # The endpoint from the settings (which also read .env); headers and
    # timeouts from the standard OTEL_EXPORTER_OTLP_* variables.
    endpoint = settings.otel_exporter_otlp_endpoint.rstrip("/") + "/v1/traces"
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    trace.set_tracer_provider(provider)
    FastAPIInstrumentor.instrument_app(
        app, tracer_provider=provider, excluded_urls=EXCLUDED_URLS
    )
    # Wraps create_async_engine, which db.py looks up at call time. The
    # instrumentor declares SQLAlchemy < 2.1 but its event hooks work with 2.1
    # (the template's tests check that query spans are exported), so its
    # version check is skipped rather than silently instrumenting nothing.
    SQLAlchemyInstrumentor().instrument(tracer_provider=provider, skip_dep_check=True)
