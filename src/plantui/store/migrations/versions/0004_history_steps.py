"""Undo steps: `history.group_id` joins the rows of one user action, `history.redoes_id` marks a redo.

A row whose `group_id` is NULL starts its own step (every row written before this revision is a step
of its own); the later rows of the same action carry the first row's id. A redo records the undone
change again and points at the undo row it reverses. Both columns are added in place, as 0002 did,
so SQLite never copies `history` while its foreign keys are enforced.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 21:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("group_id", sa.Integer(), sa.ForeignKey("history.id"), nullable=True),
            inline_references=True,
        )
        batch_op.add_column(
            sa.Column("redoes_id", sa.Integer(), sa.ForeignKey("history.id"), nullable=True),
            inline_references=True,
        )
        batch_op.create_index(batch_op.f("ix_history_group_id"), ["group_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_history_group_id"))
        batch_op.drop_column("redoes_id")
        batch_op.drop_column("group_id")
