"""Receipts of task runs: every task recorded, and at most one effect per key.

A task is recorded (``record``) in the transaction that makes its work, so
the two commit together: a task the broker never got, or lost, is still
known, and the sweep sends it again (``unfinished``, ``take_for_resending``).

A queue delivers a task at least once: again after a worker died before
acknowledging it, or after a broker lost track of the acknowledgement, or
after the sweep sent it again. Each task therefore carries a business key
(the same for every delivery of the same work), and its effect commits in
one transaction with the key's receipt, so a second delivery finds the
receipt and does nothing.

Deliveries are counted per key in a transaction of their own, committed
before the effect runs: a task that kills its worker every time is counted
too, and set aside once it reaches the limit (TASK_MAX_DELIVERIES).
"""

from collections.abc import Collection
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import TaskRun

# Tasks the sweep sends again in one pass, oldest first.
RESEND_BATCH = 100


def record(task: str, key: str, args: list[Any]) -> None:
    """Save the receipt of a new task, in the current transaction."""
    TaskRun.objects.create(key=key, task=task, args=args, sent_at=timezone.now())


def count_delivery(task: str, key: str, args: list[Any]) -> int | None:
    """Count one more delivery of ``key``: how many there have been, or
    None when its effect was applied already."""
    with transaction.atomic():
        # Sent without a receipt (by hand, say): one is made now.
        run, _ = TaskRun.objects.select_for_update().get_or_create(
            key=key, defaults={"task": task, "args": args, "sent_at": timezone.now()}
        )
        if run.done_at is not None:
            return None
        run.deliveries += 1
        # Taken: the sweep leaves it alone for as long as if just sent.
        run.sent_at = timezone.now()
        run.save(update_fields=["deliveries", "sent_at"])
    return run.deliveries


def claim(key: str) -> bool:
    """Mark ``key`` done in the current transaction; False when another
    delivery did first. Commit it together with the effect."""
    # One conditional UPDATE: a concurrent delivery of the same key waits
    # on the row's lock and then matches nothing.
    done = TaskRun.objects.filter(key=key, done_at__isnull=True)
    return done.update(done_at=timezone.now()) == 1


def unfinished(
    tasks: Collection[str], sent_before: datetime, max_deliveries: int
) -> list[TaskRun]:
    """Tasks named in ``tasks``, not done, last sent before ``sent_before``
    and not set aside: the oldest RESEND_BATCH of them."""
    rows = TaskRun.objects.filter(
        done_at__isnull=True,
        sent_at__lt=sent_before,
        deliveries__lte=max_deliveries,
        task__in=tasks,
    )
    return list(rows.order_by("sent_at")[:RESEND_BATCH])


def take_for_resending(key: str, before: datetime) -> bool:
    """Mark ``key`` sent now, unless it was sent, taken or done since
    ``before``: False when another sweep took it first."""
    due = TaskRun.objects.filter(key=key, done_at__isnull=True, sent_at__lt=before)
    return due.update(sent_at=timezone.now()) == 1


def give_back(key: str, sent_at: datetime) -> None:
    """Undo ``take_for_resending`` for a send that failed: the next pass
    tries again, not one a whole resend delay later."""
    TaskRun.objects.filter(key=key, done_at__isnull=True).update(sent_at=sent_at)
