"""Traces of the Litestar app's requests and of its database calls, on the
provider observability/tracing.py configures.

The requests are traced by OpenTelemetry's ASGI middleware around the whole
app, so the request's log lines carry its trace id. Each span is named
after the route template once Litestar has routed the request
(``GET /items/{item_id}``); Litestar's own plugin would name it after the
raw path, one span name per item.
"""

from opentelemetry import trace
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.semconv.attributes.http_attributes import HTTP_ROUTE

from acme_orders.asgi_middleware import ASGIApp, Message, Receive, Scope, Send
from acme_orders.observability import tracing
from acme_orders.settings import Settings


def wrap(app: ASGIApp, settings: Settings) -> ASGIApp:
    provider = tracing.configured_provider(settings)
    return app if provider is None else instrument(app, provider)


def instrument(
    app: ASGIApp, provider: TracerProvider, excluded_urls: str = tracing.EXCLUDED_URLS
) -> ASGIApp:
    """Trace the app's requests and every database engine created from now on."""
    # Wraps create_async_engine, which db.py looks up at call time; see the
    # FastAPI flavour's note on skip_dep_check (SQLAlchemy 2.1).
    SQLAlchemyInstrumentor().instrument(tracer_provider=provider, skip_dep_check=True)
    traced: ASGIApp = OpenTelemetryMiddleware(
        _named_after_route(app),
        tracer_provider=provider,
        excluded_urls=excluded_urls,
        default_span_details=_method_only,
    )
    return traced


def _method_only(scope: Scope) -> tuple[str, dict[str, str]]:
    # The route is not known before routing: named after it below.
    return str(scope.get("method", "HTTP")), {}


def _named_after_route(app: ASGIApp) -> ASGIApp:
    async def named(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_naming(message: Message) -> None:
            # Named as the response starts: the route is known by then, and
            # the span still open (it ends with the response).
            template = scope.get("path_template")
            if message["type"] == "http.response.start" and template:
                span = trace.get_current_span()
                span.update_name(f"{scope['method']} {template}")
                span.set_attribute(HTTP_ROUTE, template)
            await send(message)

        await app(scope, receive, send_naming)

    return named
