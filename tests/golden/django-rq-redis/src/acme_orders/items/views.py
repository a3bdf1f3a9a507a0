"""The items resource: each caller sees and changes only the items it owns;
someone else's item answers 404 like a missing one."""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from acme_orders.api.views import ApiView
from acme_orders.items.models import Item
from acme_orders.items.serializers import (
    MAX_ID,
    ItemCreateSerializer,
    ItemPageSerializer,
    ItemPathSerializer,
    ItemReadSerializer,
    ItemUpdateSerializer,
    PageQuerySerializer,
)

NOT_FOUND = {404: OpenApiResponse(description="No such item")}
ITEM_ID = OpenApiParameter(
    "item_id",
    {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    OpenApiParameter.PATH,
)


class ItemNotFound(NotFound):
    default_detail = "Item not found"


class OwnedItems(ApiView):
    parser_classes = (JSONParser,)

    def scope(self) -> dict[str, Any]:
        """Callers see and change only the items they own."""
        return {"owner_id": self.request.user.pk}

    def owned(self) -> QuerySet[Item]:
        return Item.objects.filter(**self.scope())


class ItemListView(OwnedItems):
    json_methods = frozenset({"post"})

    @extend_schema(
        operation_id="list_items",
        parameters=[PageQuerySerializer],
        responses={200: ItemPageSerializer},
    )
    def get(self, request: Request) -> Response:
        (page,) = self.validate(
            (PageQuerySerializer, request.query_params, "query", {})
        )
        items = self.owned()
        limit, offset = page["limit"], page["offset"]
        body = {
            "items": items[offset : offset + limit],
            "total": items.count(),
            "limit": limit,
            "offset": offset,
        }
        return Response(ItemPageSerializer(body).data)

    @extend_schema(
        operation_id="create_item",
        request=ItemCreateSerializer,
        responses={201: ItemReadSerializer},
    )
    def post(self, request: Request) -> Response:
        (data,) = self.validate((ItemCreateSerializer, self.body, "body", {}))
        # One transaction with what the item's post_save receivers record.
        with transaction.atomic():
            item = Item.objects.create(**self.scope(), **data)
        return Response(ItemReadSerializer(item).data, status=status.HTTP_201_CREATED)


class ItemDetailView(OwnedItems):
    json_methods = frozenset({"patch"})

    def find(self, item_id: int) -> Item:
        item = self.owned().filter(pk=item_id).first()
        if item is None:
            raise ItemNotFound
        return item

    def item_id(self, raw: str, *body: Any) -> tuple[int, dict[str, Any]]:
        checks: list[Any] = [(ItemPathSerializer, {"item_id": raw}, "path", {})]
        if body:
            checks.append((ItemUpdateSerializer, body[0], "body", {"partial": True}))
        values = self.validate(*checks)
        return values[0]["item_id"], values[1] if body else {}

    @extend_schema(
        operation_id="get_item",
        parameters=[ITEM_ID],
        responses={200: ItemReadSerializer, **NOT_FOUND},
    )
    def get(self, request: Request, item_id: str) -> Response:
        pk, _ = self.item_id(item_id)
        return Response(ItemReadSerializer(self.find(pk)).data)

    @extend_schema(
        operation_id="update_item",
        parameters=[ITEM_ID],
        request=ItemUpdateSerializer,
        responses={200: ItemReadSerializer, **NOT_FOUND},
    )
    def patch(self, request: Request, item_id: str) -> Response:
        pk, changes = self.item_id(item_id, self.body)
        item = self.find(pk)
        if changes:
            for field, value in changes.items():
                setattr(item, field, value)
            item.save(update_fields=[*changes, "updated_at"])
        return Response(ItemReadSerializer(item).data)

    @extend_schema(
        operation_id="delete_item",
        parameters=[ITEM_ID],
        request=None,
        responses={204: None, **NOT_FOUND},
    )
    def delete(self, request: Request, item_id: str) -> Response:
        pk, _ = self.item_id(item_id)
        self.find(pk).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
