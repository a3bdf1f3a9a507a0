from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "acme_orders.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Registers the bearer scheme with drf-spectacular under FastAPI's name.
        from acme_orders.api import schema  # noqa: F401
