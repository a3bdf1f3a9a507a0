"""Routes: the FastAPI service's paths (no trailing slashes), the schema, docs
and the admin; Django's own error pages answer JSON (see api/errors.py)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.renderers import OpenApiJsonRenderer2
from drf_spectacular.views import (
    SpectacularJSONAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)

from acme_orders import domain
from acme_orders.api import health
from acme_orders.api.views import ApiView


class SchemaView(ApiView, SpectacularJSONAPIView):
    authentication_classes = ()
    permission_classes = ()
    # application/json, as FastAPI answers it
    renderer_classes = [OpenApiJsonRenderer2]  # noqa: RUF012  (DRF's attribute)


class SwaggerView(ApiView, SpectacularSwaggerView):
    authentication_classes = ()
    permission_classes = ()


class RedocView(ApiView, SpectacularRedocView):
    authentication_classes = ()
    permission_classes = ()


urlpatterns = [
    path("health/live", health.LiveView.as_view(), name="live"),
    path("health/ready", health.ReadyView.as_view(), name="ready"),
    path("auth/", include("acme_orders.accounts.urls")),
    *(path(prefix, include(module)) for prefix, module in domain.ROUTES.items()),
    path("openapi.json", SchemaView.as_view(), name="openapi"),
    path("docs", SwaggerView.as_view(url_name="openapi"), name="docs"),
    path("redoc", RedocView.as_view(url_name="openapi"), name="redoc"),
]
if settings.SERVICE_SETTINGS.admin_path:
    urlpatterns.append(path(settings.SERVICE_SETTINGS.admin_path, admin.site.urls))

handler400 = "acme_orders.api.errors.bad_request"
handler403 = "acme_orders.api.errors.permission_denied"
handler404 = "acme_orders.api.errors.not_found"
handler500 = "acme_orders.api.errors.server_error"
