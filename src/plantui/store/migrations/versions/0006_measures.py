"""Measures of impact: `measure` (ref, name, unit, better direction, target, tolerance, frequency,
owner), its links to objectives, actions and findings (`measure_objective`, `measure_action`,
`measure_finding`), `measure_value`, the append-only values recorded per period, and
`measure_change`, the append-only history of each measure's definition and links.

Only new tables: no existing row or table changes, so the upgrade copies nothing.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 23:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("direction", sa.Text(), nullable=False),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("tolerance", sa.Float(), nullable=True),
        sa.Column("frequency", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_id"], ["officer.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan_id", "ref"),
    )
    for name, target in (("measure_objective", "objective"), ("measure_action", "action"),
                         ("measure_finding", "finding")):  # fmt: skip
        op.create_table(
            name,
            sa.Column("measure_id", sa.Integer(), nullable=False),
            sa.Column(f"{target}_id", sa.Integer(), nullable=False),
            sa.Column("position", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["measure_id"], ["measure.id"], ondelete="CASCADE"),
            sa.ForeignKeyConstraint([f"{target}_id"], [f"{target}.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("measure_id", f"{target}_id"),
        )
        op.create_index(f"ix_{name}_{target}_id", name, [f"{target}_id"], unique=False)
    op.create_table(
        "measure_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Text(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["measure_id"], ["measure.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_measure_value_measure_id_period_id", "measure_value", ["measure_id", "period", "id"], unique=False
    )
    op.create_table(
        "measure_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["measure_id"], ["measure.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_measure_change_measure_id", "measure_change", ["measure_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_measure_change_measure_id", table_name="measure_change")
    op.drop_table("measure_change")
    op.drop_index("ix_measure_value_measure_id_period_id", table_name="measure_value")
    op.drop_table("measure_value")
    for name, target in (("measure_finding", "finding"), ("measure_action", "action"),
                         ("measure_objective", "objective")):  # fmt: skip
        op.drop_index(f"ix_{name}_{target}_id", table_name=name)
        op.drop_table(name)
    op.drop_table("measure")
