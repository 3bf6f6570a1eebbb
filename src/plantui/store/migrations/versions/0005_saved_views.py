"""Saved views: a `saved_view` table (a name, a filter, a tree node, a sort, per plan), and the two
views every plan starts with, "Exceptions" and "Due this month", given to each plan already stored.

The views are written here as they were at this revision, not read from plantui's code, so that the
migration does the same thing whatever a later plantui ships.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 23:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_FIRST_VIEWS = (
    # name, name_key, expression, node, sort
    ("Exceptions", "exceptions", "exceptions", "", "worst"),
    ("Due this month", "due this month", "due:month -rag:complete", "", "due"),
)


def upgrade() -> None:
    saved_view = op.create_table(
        "saved_view",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("expression", sa.Text(), nullable=False),
        sa.Column("node", sa.Text(), nullable=False),
        sa.Column("sort", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan_id", "name_key"),
    )
    plan_ids = op.get_bind().execute(sa.text("SELECT id FROM plan ORDER BY id")).scalars().all()
    rows = [
        dict(plan_id=plan_id, name=name, name_key=key, expression=expression, node=node, sort=sort)
        for plan_id in plan_ids
        for name, key, expression, node, sort in _FIRST_VIEWS
    ]
    if rows:
        op.bulk_insert(saved_view, rows)


def downgrade() -> None:
    op.drop_table("saved_view")
