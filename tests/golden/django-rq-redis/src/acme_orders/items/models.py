"""The items table."""

from django.conf import settings
from django.db import models

MAX_NAME_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 2000


class Item(models.Model):
    # Each item belongs to the account that created it.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="items"
    )
    name = models.CharField(max_length=MAX_NAME_LENGTH)
    description = models.TextField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Stamped by a worker (items/tasks.py); null until it ran.
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "items"
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name
