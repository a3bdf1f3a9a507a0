"""The receipts table: one row per task key (see runs.py)."""

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from acme_orders.db import Base


class TaskRun(Base):
    __tablename__ = "task_runs"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    deliveries: Mapped[int] = mapped_column(default=0)
    # Set in the transaction that applied the effect; null until then.
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
