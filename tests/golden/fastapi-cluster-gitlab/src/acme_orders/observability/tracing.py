"""OpenTelemetry tracing: the tracer provider and trace ids in log lines.

Configured by the standard OTEL_* variables (endpoint, headers, sampler);
with no OTEL_EXPORTER_OTLP_ENDPOINT set, nothing is exported or patched.
While a span is current, log lines carry its trace_id and span_id. The web
layer instruments requests and database calls on this provider (see
observability/http_tracing.py).
"""

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from acme_orders.logs import add_line_fields
from acme_orders.settings import Settings

# Probes and scrapes would drown the interesting spans.
EXCLUDED_URLS = "/health/.*,/metrics"


def setup(settings: Settings) -> None:
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
    add_line_fields(current_trace_ids)


def configured_provider(settings: Settings) -> TracerProvider | None:
    """The provider ``setup`` installed, or None while tracing is off."""
    provider = trace.get_tracer_provider()
    if not settings.otel_exporter_otlp_endpoint or not isinstance(
        provider, TracerProvider
    ):
        return None
    return provider


def current_trace_ids() -> dict[str, str]:
    """The current span's ids in the W3C hex form, for log lines."""
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return {}
    return {
        "trace_id": trace.format_trace_id(context.trace_id),
        "span_id": trace.format_span_id(context.span_id),
    }
