"""The items' background task: an example to model yours on.

Creating an item enqueues PROCESS_ITEM in the transaction that creates the
item, and sends it once that commits; a worker then stamps the item's
processed_at, which the API shows (null until then). The key names the
work, not the message: every delivery of it carries the same key, so the
stamp is applied once however often the broker delivers it.
"""

import uuid
from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from acme_orders import tasks
from acme_orders.items.models import Item


def mark_processed(item_id: int) -> None:
    """The effect: stamp the item. Gone meanwhile? Nothing to do."""
    Item.objects.filter(pk=item_id).update(processed_at=timezone.now())


PROCESS_ITEM = tasks.Task("items.process", mark_processed)


@receiver(post_save, sender=Item, dispatch_uid="items.enqueue_processing")
def enqueue_processing(instance: Item, created: bool, **_: Any) -> None:
    if created:
        # Made once and kept in the receipt, which every delivery carries;
        # unique, as the item's id alone is not (SQLite hands a deleted
        # item's id out again).
        key = f"items.process:{instance.pk}:{uuid.uuid4().hex}"
        tasks.enqueue(PROCESS_ITEM, key, instance.pk)
