from django.apps import AppConfig


class ItemsConfig(AppConfig):
    name = "acme_orders.items"
    label = "items"
    verbose_name = "Items"

    def ready(self) -> None:
        # Connects the receiver that enqueues each new item's processing.
        from acme_orders.items import tasks  # noqa: F401
