"""The items' background task: an example to model yours on.

Creating an item enqueues PROCESS_ITEM once its transaction commits; a
worker then stamps the item's processed_at, which the API shows (null until
then). The key names the work, not the message: every delivery of it
carries the same key, so the stamp is applied once however often the broker
delivers it.
"""

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


def processing_key(item: Item) -> str:
    """The business key of processing ``item``: the same for every delivery,
    and never another item's (SQLite hands a deleted item's id out again)."""
    return f"items.process:{item.pk}:{item.created_at.isoformat()}"


@receiver(post_save, sender=Item, dispatch_uid="items.enqueue_processing")
def enqueue_processing(instance: Item, created: bool, **_: Any) -> None:
    if created:
        tasks.enqueue(PROCESS_ITEM, processing_key(instance), instance.pk)
