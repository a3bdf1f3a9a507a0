"""DRF authentication by bearer token (OAuth2 password flow's access token)."""

from django.conf import settings
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from acme_orders.accounts.models import User
from acme_orders.auth.security import read_access_token

# What a request with a bad or expired bearer token is answered.
REFUSAL = "Invalid or expired token"


class BearerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>``; no header (or another scheme) leaves
    the request anonymous, which IsAuthenticated answers with 401."""

    def authenticate(self, request: Request) -> tuple[User, str] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _, token = header.partition(" ")
        if not header or scheme.lower() != "bearer":
            return None
        user_id = read_access_token(token, settings.SERVICE_SETTINGS)
        if user_id is None:
            raise AuthenticationFailed(REFUSAL)
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            raise AuthenticationFailed(REFUSAL)
        return user, token

    def authenticate_header(self, request: Request) -> str:
        return "Bearer"
