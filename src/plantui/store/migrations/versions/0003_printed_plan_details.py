"""What the printed plan says of an action beyond its fields: a `carried_value` table naming each
field that was filled in from the row above (a merged cell), the action it came from, and whether it
looks wrong; and two text columns of `action`, the objective statement printed beside the action
(where one numbered objective prints several) and the commentary the plan came with.

The columns are added in place (`ADD COLUMN ... DEFAULT ''`), which SQLite and PostgreSQL both do
without copying the table; no existing row changes.

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
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("objective_statement", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("commentary", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    # In place too (SQLite 3.35 and later): a batch would copy `action`, and dropping the old copy
    # would take every row that references it (leads, history) with it.
    op.drop_column("action", "commentary")
    op.drop_column("action", "objective_statement")
    op.drop_table("carried_value")
