"""The receipts table: one row per task key (see runs.py)."""

from django.db import models


class TaskRun(models.Model):
    key = models.CharField(max_length=200, primary_key=True)
    deliveries = models.IntegerField(default=0)
    # Set in the transaction that applied the effect; null until then.
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "task_runs"

    def __str__(self) -> str:
        return self.key
