"""What every API view shares: errors, fields, middleware, base view, schema.

DRF's generic classes (Serializer[T]) are made subscriptable at run time
here, after the settings are loaded (DRF reads them on first import).
"""

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
