"""users.created_at keeps its time zone.

The model says ``DateTime(timezone=True)``; projects rendered before that
created the column without a time zone in their first migration, which is
theirs and never rewritten. This revision brings those columns in line and
changes nothing where the first migration already made them timezone-aware.

Revision ID: template_0001
Revises:
Depends on: 0001 (the first migration, which creates the users table)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "template_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("template",)
depends_on: str | Sequence[str] | None = "0001"


def upgrade() -> None:
    # Only PostgreSQL stores a time zone in the column type: SQLite and MySQL
    # declare both forms the same way, so there is nothing to change there.
    if op.get_context().dialect.name != "postgresql":
        return
    # No USING clause: PostgreSQL reads the stored times in the session's
    # time zone, the one `now()` wrote them in. On a column that already has
    # a time zone this is the same type, and nothing is rewritten.
    op.alter_column(
        "users",
        "created_at",
        type_=sa.DateTime(timezone=True),
        existing_type=sa.DateTime(),
        existing_nullable=False,
        existing_server_default=sa.func.now(),
    )


def downgrade() -> None:
    # Nothing to undo: projects rendered after the change create the column
    # timezone-aware in 0001 already, and a downgrade must not undo 0001.
    pass
