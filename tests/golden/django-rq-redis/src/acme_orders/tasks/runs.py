"""Receipts of task runs: at most one effect per business key.

A queue delivers a task at least once: again after a worker died before
acknowledging it, or after a broker lost track of the acknowledgement. Each
task therefore carries a business key (the same for every delivery of the
same work), and its effect commits in one transaction with the key's
receipt, so a second delivery finds the receipt and does nothing.

Deliveries are counted per key in a transaction of their own, committed
before the effect runs: a task that kills its worker every time is counted
too, and set aside once it reaches the limit (TASK_MAX_DELIVERIES).
"""

from django.db import transaction
from django.utils import timezone

from .models import TaskRun


def count_delivery(key: str) -> int | None:
    """Count one more delivery of ``key``: how many there have been, or
    None when its effect was applied already."""
    with transaction.atomic():
        run, _ = TaskRun.objects.select_for_update().get_or_create(key=key)
        if run.done_at is not None:
            return None
        run.deliveries += 1
        run.save(update_fields=["deliveries"])
    return run.deliveries


def claim(key: str) -> bool:
    """Mark ``key`` done in the current transaction; False when another
    delivery did first. Commit it together with the effect."""
    # One conditional UPDATE: a concurrent delivery of the same key waits
    # on the row's lock and then matches nothing.
    done = TaskRun.objects.filter(key=key, done_at__isnull=True)
    return done.update(done_at=timezone.now()) == 1
