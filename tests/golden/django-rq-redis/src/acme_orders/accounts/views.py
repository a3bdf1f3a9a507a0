"""Register, log in (OAuth2 password flow) and who am I."""

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, NotAuthenticated
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from acme_orders.accounts import throttling
from acme_orders.accounts.models import MAX_EMAIL_LENGTH, User, normalize_email
from acme_orders.accounts.serializers import (
    LoginFormSerializer,
    TokenSerializer,
    UserCreateSerializer,
    UserReadSerializer,
)
from acme_orders.api.views import ApiView, read_form
from acme_orders.auth.security import create_access_token

RATE_LIMITED = {
    429: OpenApiResponse(description="Too many attempts"),
    503: OpenApiResponse(description="Attempts cannot be counted"),
}


class EmailTaken(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This e-mail address is already registered"


class WrongCredentials(APIException):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = "Wrong e-mail or password"
    auth_header = "Bearer"


class RegisterView(ApiView):
    authentication_classes = ()
    permission_classes = (AllowAny,)
    parser_classes = (JSONParser,)
    json_methods = frozenset({"post"})

    @extend_schema(
        operation_id="register",
        request=UserCreateSerializer,
        responses={
            201: UserReadSerializer,
            409: OpenApiResponse(description="E-mail already registered"),
            **RATE_LIMITED,
        },
    )
    def post(self, request: Request) -> Response:
        (data,) = self.validate((UserCreateSerializer, self.body, "body", {}))
        self.throttle(request, throttling.registration_throttles(request))
        try:
            with transaction.atomic():
                user = User.objects.create_user(data["email"], data["password"])
        except IntegrityError:
            raise EmailTaken from None
        return Response(UserReadSerializer(user).data, status=status.HTTP_201_CREATED)


class LoginView(ApiView):
    authentication_classes = ()
    permission_classes = (AllowAny,)
    parser_classes = (FormParser,)

    @extend_schema(
        operation_id="login",
        request={"application/x-www-form-urlencoded": LoginFormSerializer},
        responses={
            200: TokenSerializer,
            401: OpenApiResponse(description="Wrong e-mail or password"),
            **RATE_LIMITED,
        },
    )
    def post(self, request: Request) -> Response:
        (form,) = self.validate((LoginFormSerializer, read_form(request), "body", {}))
        account = normalize_email(form["username"])[:MAX_EMAIL_LENGTH]
        self.throttle(request, throttling.login_throttles(request, account))
        user = authenticate(
            request._request, username=form["username"], password=form["password"]
        )
        if user is None:
            raise WrongCredentials
        minutes = settings.SERVICE_SETTINGS.access_token_expire_minutes
        token: dict[str, Any] = {
            "access_token": create_access_token(user.pk, settings.SERVICE_SETTINGS),
            "token_type": "bearer",
            "expires_in": minutes * 60,
        }
        return Response(TokenSerializer(token).data)


class MeView(ApiView):
    @extend_schema(operation_id="me", responses={200: UserReadSerializer})
    def get(self, request: Request) -> Response:
        user = request.user
        if not isinstance(user, User):  # IsAuthenticated lets only users through
            raise NotAuthenticated
        return Response(UserReadSerializer(user).data)
