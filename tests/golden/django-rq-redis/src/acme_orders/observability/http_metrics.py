"""Prometheus metrics of the Django app: a middleware counts and times every
request on the public port under its route pattern, and answers /metrics on
METRICS_PORT, which the server also listens on (see observability/metrics.py).
"""

import re
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse

from acme_orders.observability import metrics

GetResponse = Callable[[HttpRequest], HttpResponseBase]
# Django's route converters, <str:item_id>, as the {item_id} of the other
# frameworks' labels: one dashboard whatever the framework.
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def route_label(request: HttpRequest) -> str:
    match = request.resolver_match
    if match is None:
        return metrics.UNMATCHED_ROUTE
    return "/" + _CONVERTER.sub(r"{\1}", match.route)


class MetricsMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.port = str(settings.SERVICE_SETTINGS.metrics_port)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.META.get("SERVER_PORT") == self.port:
            return self.scrape(request)
        started = time.perf_counter()
        response = self.get_response(request)
        metrics.record(
            request.method or "",
            route_label(request),
            response.status_code,
            time.perf_counter() - started,
        )
        return response

    def scrape(self, request: HttpRequest) -> HttpResponseBase:
        if request.path == "/metrics":
            body, content_type = metrics.scrape()
            return HttpResponse(body, content_type=content_type)
        return JsonResponse({"detail": "Not Found"}, status=404)
