from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "acme_orders.tasks"
    label = "tasks"
    verbose_name = "Background tasks"
