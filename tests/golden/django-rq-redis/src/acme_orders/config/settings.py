"""Django's settings, every value taken from the service's typed Settings
(settings.py: the same variables, checks and refusals as every framework)."""

from typing import Any

import django_stubs_ext

from acme_orders import domain
from acme_orders.config.database import database_config
from acme_orders.lifecycle import run_key
from acme_orders.logs import configure_logging
from acme_orders.observability import web as observability_web
from acme_orders.settings import Environment, get_settings, is_weak_secret

# This service's package: the dotted paths below are inside it.
PACKAGE = "acme_orders"

# Django's generic classes (ModelAdmin[Item]) subscriptable at run time; DRF's
# are patched in acme_orders.api, once these settings are loaded.
django_stubs_ext.monkeypatch()

ENV = get_settings()
PRODUCTION = ENV.environment is Environment.PRODUCTION
configure_logging(ENV.log_level)

# A placeholder key (development only: refused elsewhere) is public, so the
# service signs with a random key shared by this run's workers instead.
SECRET_KEY = (
    run_key() if is_weak_secret(ENV.secret_key) else ENV.secret_key.get_secret_value()
)
# Django's DEBUG stays off: it would answer errors with HTML pages. The DEBUG
# variable only adds tracebacks to JSON 500 answers (development only).
DEBUG = False
ALLOWED_HOSTS = ENV.allowed_hosts
APPEND_SLASH = False
# API accounts (the accounts app): e-mail logins with the shared argon2 hashes
# (auth/security.py), bearer tokens on every API request; staff accounts
# also sign in to the admin.
account_apps = [f"{PACKAGE}.accounts"]
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [f"{PACKAGE}.accounts.backends.EmailBackend"]
PASSWORD_HASHERS = [f"{PACKAGE}.accounts.hashers.PwdlibArgon2Hasher"]
api_authentication = [
    f"{PACKAGE}.accounts.authentication.BearerTokenAuthentication",
]
api_permissions = ["rest_framework.permissions.IsAuthenticated"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    f"{PACKAGE}.api",
    *account_apps,
    *domain.APPS,
    # Receipts of background tasks (tasks/runs.py).
    f"{PACKAGE}.tasks",
]

MIDDLEWARE = [
    # Outermost: every answer, errors included, gets the request id and headers.
    f"{PACKAGE}.api.middleware.RequestContextMiddleware",
    *observability_web.MIDDLEWARE,
    f"{PACKAGE}.api.middleware.BodyLimitMiddleware",
    f"{PACKAGE}.api.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = f"{PACKAGE}.config.urls"
WSGI_APPLICATION = f"{PACKAGE}.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": database_config(ENV.database_url, conn_max_age=ENV.database_conn_max_age)
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

CACHES: dict[str, dict[str, Any]] = {
    # Per process: each worker counts login attempts on its own (choose the
    # Redis cache for limits that hold across workers).
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True
STATIC_URL = "static/"

DATA_UPLOAD_MAX_MEMORY_SIZE = ENV.max_request_body_bytes
FILE_UPLOAD_MAX_MEMORY_SIZE = ENV.max_request_body_bytes

# Security headers: the middleware sends the FastAPI service's set; Django's
# own middleware is configured to agree with it.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = 63072000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
# TLS ends at the load balancer, which says so in X-Forwarded-Proto; probes
# reach the pods over plain HTTP, so no redirect here.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = False
# W008: no SSL redirect (above). W021: HSTS preload is a commitment to the
# browsers' preload list that the FastAPI service does not make either.
SILENCED_SYSTEM_CHECKS = ["security.W008", "security.W021"]
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": api_authentication,
    "DEFAULT_PERMISSION_CLASSES": api_permissions,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [],
    "EXCEPTION_HANDLER": f"{PACKAGE}.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Acme Orders",
    "DESCRIPTION": "A production-ready backend service.",
    "VERSION": "0.1.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_PATCH": False,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "POSTPROCESSING_HOOKS": [f"{PACKAGE}.api.schema.document_errors"],
    "SCHEMA_PATH_PREFIX": "",
}

# Settings of this service read by its own code.
SERVICE_SETTINGS = ENV
