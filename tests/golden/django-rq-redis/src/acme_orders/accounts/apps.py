from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "acme_orders.accounts"
    label = "accounts"
    verbose_name = "Accounts"
