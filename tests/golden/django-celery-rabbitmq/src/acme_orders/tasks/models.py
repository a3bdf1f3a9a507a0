"""The receipts table: one row per task key (see runs.py)."""

from django.db import models


class TaskRun(models.Model):
    key = models.CharField(max_length=200, primary_key=True)
    # What every delivery of the key runs: the sweep sends it again from here.
    task = models.CharField(max_length=200)
    args = models.JSONField()
    deliveries = models.IntegerField(default=0)
    # When the task was last handed to the broker (or recorded, for a send
    # that failed), or last taken from it by a worker: the sweep measures
    # from here.
    sent_at = models.DateTimeField()
    # Set in the transaction that applied the effect; null until then. The
    # sweep looks for the nulls.
    done_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        db_table = "task_runs"

    def __str__(self) -> str:
        return self.key
