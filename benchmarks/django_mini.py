"""A minimal one-view Django app: the floor of the Django service's /health/live.

One synchronous JSON view (as DRF's are), no installed apps, no middleware.
`application` is its WSGI callable, `asgi_application` its ASGI one (the sync
view then runs in a thread through asgiref's sync_to_async, as the service's
do). GET /slow?s=SECONDS sleeps that long first: django_servers.py uses it to
see what each server does with requests in flight when it is told to stop.
"""

import time

from django.conf import settings

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    SECRET_KEY="benchmark-only-" + "x" * 40,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    USE_TZ=True,
    USE_I18N=False,
    DATABASES={},
)

from django.core.asgi import get_asgi_application  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402


def live(request):
    return JsonResponse({"status": "ok"})


def slow(request):
    time.sleep(float(request.GET.get("s", "2")))
    return JsonResponse({"status": "ok"})


urlpatterns = [path("health/live", live), path("slow", slow)]

application = get_wsgi_application()
asgi_application = get_asgi_application()
