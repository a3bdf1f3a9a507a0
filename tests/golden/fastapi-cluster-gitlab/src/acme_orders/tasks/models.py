"""The receipts table: one row per task key (see runs.py)."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from acme_orders.db import Base


class TaskRun(Base):
    __tablename__ = "task_runs"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    # What every delivery of the key runs: the sweep sends it again from here.
    task: Mapped[str] = mapped_column(String(200))
    args: Mapped[list[Any]] = mapped_column(JSON)
    deliveries: Mapped[int] = mapped_column(default=0)
    # When the task was last handed to the broker (or recorded, for a send
    # that failed), or last taken from it by a worker: the sweep measures
    # from here.
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Set in the transaction that applied the effect; null until then. The
    # sweep looks for the nulls.
    done_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), index=True
    )
