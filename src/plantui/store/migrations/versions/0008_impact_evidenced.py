"""Impact evidenced: `action.impact`, whether the action's impact has been evidenced (separate from
its status, which says whether it was delivered).

Added in place with a false default, as 0003 added its columns: no existing action is marked, and
no row changes. The evidence itself is history rows (field "evidence"), which need no new column;
`ix_history_evidence` indexes just those rows, so counting each action's evidence does not read the
whole history.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 02:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: SQLite adds it in place (a batch would copy the whole action table).
    op.add_column("action", sa.Column("impact", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index(
        "ix_history_evidence",
        "history",
        ["action_id", "id"],
        unique=False,
        sqlite_where=sa.text("field = 'evidence'"),
        postgresql_where=sa.text("field = 'evidence'"),
    )


def downgrade() -> None:
    op.drop_index("ix_history_evidence", table_name="history")
    op.drop_column("action", "impact")
