"""Liveness and readiness probes.

``live`` touches nothing but the process. ``ready`` pings the database (and
Redis, when the cache is Redis), so traffic only reaches instances that can
use them, and fails once the process is asked to stop.
"""

import logging
from collections.abc import Callable

from django.db import connection
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from acme_orders import broker, lifecycle
from acme_orders.api.views import ApiView

logger = logging.getLogger("acme_orders.runtime")


class ReadinessSerializer(serializers.Serializer[dict[str, object]]):
    status = serializers.CharField()
    checks = serializers.DictField(child=serializers.CharField())

    class Meta:
        ref_name = "Readiness"


def ping_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


# Each dependency, by the name /health/ready reports it under.
PROBES: dict[str, Callable[[], None]] = {
    "database": ping_database,
    "broker": broker.ping,
}


def checks() -> dict[str, str]:
    found = {}
    for name, ping in PROBES.items():
        try:
            ping()
        except Exception:  # noqa: BLE001  (any failure means "not ready")
            logger.warning("readiness check failed", extra={"check": name})
            found[name] = "unavailable"
        else:
            found[name] = "ok"
    return found


class LiveView(ApiView):
    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="live",
        responses={200: {"type": "object", "additionalProperties": {"type": "string"}}},
    )
    def get(self, request: Request) -> Response:
        return Response({"status": "ok"})


class ReadyView(ApiView):
    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="ready",
        responses={
            200: ReadinessSerializer,
            503: OpenApiResponse(ReadinessSerializer, description="Not ready"),
        },
    )
    def get(self, request: Request) -> Response:
        found = lifecycle.DRAINING_CHECKS if lifecycle.is_draining() else checks()
        status, body = lifecycle.readiness_answer(found)
        return Response(body, status=status)
