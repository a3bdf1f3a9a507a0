from django.contrib import admin

from acme_orders.items.models import Item


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin[Item]):
    list_display = ("id", "name", "owner", "created_at", "updated_at")
    list_select_related = ("owner",)
    search_fields = ("name", "owner__email")
    raw_id_fields = ("owner",)
    readonly_fields = ("created_at", "updated_at")
