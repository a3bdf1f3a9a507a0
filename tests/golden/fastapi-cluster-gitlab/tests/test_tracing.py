"""Tracing: request and query spans, and trace ids in log lines.

The SQLAlchemy instrumentation runs past the version range its package
declares (see observability/http_tracing.py); this is the test that says so
the day its query spans stop arriving.
"""

import json
import logging
from collections.abc import Iterator

import pytest
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from acme_orders import logs
from acme_orders.main import create_app
from acme_orders.observability import http_tracing, tracing
from acme_orders.settings import Settings
from tests.clients import serve


@pytest.fixture
def spans() -> Iterator[tuple[TracerProvider, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider, exporter
    SQLAlchemyInstrumentor().uninstrument()


async def test_requests_and_queries_are_traced(
    settings: Settings, spans: tuple[TracerProvider, InMemorySpanExporter]
) -> None:
    provider, exporter = spans
    # Probes are excluded in production; here the readiness probe is the
    # request that queries the database.
    app = http_tracing.instrument(create_app(settings), provider, excluded_urls="")
    async with serve(app) as client:
        response = await client.get("/health/ready")
    assert response.status_code == 200
    attributes = [span.attributes or {} for span in exporter.get_finished_spans()]
    statements = [str(found.get("db.statement")) for found in attributes]
    assert any("SELECT 1" in statement for statement in statements), statements
    routes = [found.get("http.route") for found in attributes]
    assert "/health/ready" in routes, routes


def test_log_lines_carry_the_current_trace_ids(
    spans: tuple[TracerProvider, InMemorySpanExporter],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(logs, "_line_fields", [])
    logs.add_line_fields(tracing.current_trace_ids)  # as tracing.setup does
    provider, _ = spans
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "inside", None, None)
    formatter = logs.JsonFormatter()
    outside = json.loads(formatter.format(record))
    with provider.get_tracer(__name__).start_as_current_span("work") as span:
        inside = json.loads(formatter.format(record))
    context = span.get_span_context()
    assert inside["trace_id"] == f"{context.trace_id:032x}"
    assert inside["span_id"] == f"{context.span_id:016x}"
    assert "trace_id" not in outside
