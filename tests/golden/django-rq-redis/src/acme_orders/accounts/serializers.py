"""Request and response bodies of the auth API (the FastAPI service's schemas)."""

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from acme_orders.accounts.models import MAX_EMAIL_LENGTH, User
from acme_orders.api.fields import FormCharField, StrictCharField, StrictSerializer

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128
EMAIL_PATTERN = r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$"
BEARER = "bearer"


class UserCreateSerializer(StrictSerializer):
    email = StrictCharField(max_length=MAX_EMAIL_LENGTH, pattern=EMAIL_PATTERN)
    password = StrictCharField(
        min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH
    )


class UserReadSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ("id", "email")


@extend_schema_serializer(component_name="Body_login")
class LoginFormSerializer(StrictSerializer):
    """OAuth2 password flow's form (FastAPI's OAuth2PasswordRequestForm)."""

    forbid_extra = False

    grant_type = FormCharField(required=False, allow_null=True, pattern="^password$")
    username = FormCharField()
    password = FormCharField(style={"input_type": "password"})
    scope = FormCharField(required=False, default="")
    client_id = FormCharField(required=False, allow_null=True)
    client_secret = FormCharField(required=False, allow_null=True)


class TokenSerializer(serializers.Serializer[dict[str, Any]]):
    access_token = serializers.CharField()
    token_type = serializers.CharField(default=BEARER)
    expires_in = serializers.IntegerField()
