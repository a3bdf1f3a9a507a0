"""The item read on Django REST framework and the Django ORM alone, no template.

One DRF view doing what the rendered Django service's GET /items/{id} does,
with the framework's own building blocks and nothing else: a DRF
authentication class decoding the bearer token with PyJWT, the user read
through the ORM (active?), the item read through the ORM by id and owner, a
ModelSerializer for the answer. No middleware, no log line, no template code.

Next to bare_wsgi_items.py (the raw-driver floor) it splits the service's
item read in two, as orm_items.py does for FastAPI: `Django+DRF / bare WSGI`
is what the framework and its ORM cost, `service / Django+DRF` what the
template adds. Runs in the rendered project's environment under each server
django_servers.py compares; reads DATABASE_URL (plain postgresql://) and
SECRET_KEY. Connections are kept (CONN_MAX_AGE) without health checks.
"""

import os
from urllib.parse import unquote, urlsplit

from django.conf import settings

_url = urlsplit(os.environ["DATABASE_URL"])
settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    SECRET_KEY=os.environ["SECRET_KEY"],
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    USE_TZ=True,
    TIME_ZONE="UTC",
    USE_I18N=False,
    DATABASES={
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(_url.path.lstrip("/")),
            "USER": unquote(_url.username or ""),
            "PASSWORD": unquote(_url.password or ""),
            "HOST": _url.hostname or "",
            "PORT": str(_url.port or ""),
            "CONN_MAX_AGE": 600,
        }
    },
    REST_FRAMEWORK={
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
        "UNAUTHENTICATED_USER": None,
        "COMPACT_JSON": True,
    },
)

import django  # noqa: E402

django.setup()

import jwt  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import models  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from rest_framework import serializers  # noqa: E402
from rest_framework.authentication import BaseAuthentication  # noqa: E402
from rest_framework.exceptions import AuthenticationFailed, NotFound  # noqa: E402
from rest_framework.permissions import IsAuthenticated  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402


class User(models.Model):
    is_active = models.BooleanField()

    class Meta:
        app_label = "bench"
        db_table = "users"
        managed = False

    is_authenticated = True


class Item(models.Model):
    owner_id = models.IntegerField()
    name = models.CharField(max_length=200)
    description = models.TextField(null=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        app_label = "bench"
        db_table = "items"
        managed = False


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ("id", "name", "description", "created_at", "updated_at")


class Bearer(BaseAuthentication):
    def authenticate(self, request):
        scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        try:
            claims = jwt.decode(
                token,
                settings.SECRET_KEY,
                algorithms=["HS256"],
                options={"require": ["sub", "exp", "iat"]},
            )
            user_id = int(claims["sub"])
        except (jwt.InvalidTokenError, ValueError):
            raise AuthenticationFailed from None
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            raise AuthenticationFailed
        return user, token


class ItemView(APIView):
    authentication_classes = (Bearer,)
    permission_classes = (IsAuthenticated,)

    def get(self, request, item_id):
        item = Item.objects.filter(pk=item_id, owner_id=request.user.pk).first()
        if item is None:
            raise NotFound
        return Response(ItemSerializer(item).data)


def live(request):
    """For the benchmark's readiness wait only."""
    return JsonResponse({"status": "ok"})


urlpatterns = [path("items/<int:item_id>", ItemView.as_view()), path("health/live", live)]

application = get_wsgi_application()
asgi_application = get_asgi_application()
