from django.apps import AppConfig


class ApiConfig(AppConfig):
    """What every API view shares; an app so that it is set up once Django's
    apps are loaded, before any view is imported."""

    name = "acme_orders.api"
    label = "api"

    def ready(self) -> None:
        # DRF's generic classes (Serializer[T]) subscriptable at run time, as
        # the stubs have them; DRF reads the settings on first import, so
        # not before now.
        import django_stubs_ext
        from rest_framework import fields, generics, serializers

        django_stubs_ext.monkeypatch(
            extra_classes=[
                fields.Field,
                serializers.BaseSerializer,
                serializers.Serializer,
                serializers.ModelSerializer,
                serializers.ListSerializer,
                generics.GenericAPIView,
            ]
        )
        # The OpenAPI extensions register as they are defined.
        from acme_orders.api import schema  # noqa: F401
