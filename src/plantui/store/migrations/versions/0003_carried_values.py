"""Carried values: a `carried_value` table naming each field of an action that was filled in from the
row above (a merged cell of the printed plan), the action it came from, and whether it looks wrong.

A new table only: no existing table is copied or changed.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 21:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "carried_value",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("from_ref", sa.Text(), nullable=False),
        sa.Column("doubtful", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["action.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("action_id", "field"),
    )


def downgrade() -> None:
    op.drop_table("carried_value")
