"""Board meetings: a `meeting` table, and `history.meeting_id` naming the meeting a change was made in.

The new column is added in place (`ADD COLUMN ... REFERENCES`), which SQLite and PostgreSQL both do
without copying the table: copying `history` on SQLite would trip its own foreign keys (undo rows
point at earlier rows) while they are enforced.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 12:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("meeting.id"), nullable=True),
            inline_references=True,
        )
        batch_op.create_index(batch_op.f("ix_history_meeting_id"), ["meeting_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_history_meeting_id"))
        batch_op.drop_column("meeting_id")
    op.drop_table("meeting")
