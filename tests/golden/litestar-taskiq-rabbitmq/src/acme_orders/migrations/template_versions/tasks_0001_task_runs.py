"""Background tasks: the receipts table, and items.processed_at.

The template's own history for the task queue (branch "tasks"): the
receipts that keep a task's effect to once per key (tasks/runs.py), and the
column the example task stamps (items/tasks.py).

Revision ID: tasks_0001
Revises:
Depends on: 0001 (the first migration, which creates the items table)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "tasks_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("tasks",)
depends_on: str | Sequence[str] | None = "0001"


def upgrade() -> None:
    op.create_table(
        "task_runs",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("deliveries", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_task_runs")),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_unicode_ci",
    )
    op.add_column(
        "items", sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("items", "processed_at")
    op.drop_table("task_runs")
