from django.apps import AppConfig


class ItemsConfig(AppConfig):
    name = "acme_orders.items"
    label = "items"
    verbose_name = "Items"
