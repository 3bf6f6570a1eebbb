"""Replicas and sync: uids for the plan and for what it carries between its copies, a replica's state,
and the conflicts a sync found.

`plan.uid`, `history.uid`, `meeting.uid` and `measure_value.uid` are added in place (as 0002 and 0004
added columns, so SQLite never copies `history` while its foreign keys are enforced), given to the
rows that exist in the order of their ids (`plantui.domain.uids.ordered_uids`), and then indexed as
unique. `replica_state` is a replica's one row (its upstream and the marks of its last sync);
`sync_conflict` lists the fields two copies both changed between syncs.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 02:30:00
"""

import sqlalchemy as sa
from alembic import op

from plantui.domain.uids import ordered_uids

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_WITH_UIDS = ("plan", "history", "meeting", "measure_value")


def upgrade() -> None:
    conn = op.get_bind()
    for table in _WITH_UIDS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("uid", sa.Text(), nullable=False, server_default=""))
        ids = conn.execute(sa.text(f'SELECT id FROM "{table}" ORDER BY id')).scalars().all()
        if ids:
            conn.execute(
                sa.text(f'UPDATE "{table}" SET uid = :uid WHERE id = :id'),
                [{"uid": uid, "id": row_id} for uid, row_id in zip(ordered_uids(len(ids)), ids, strict=True)],
            )
        if table != "plan":
            op.create_index(f"ix_{table}_uid", table, ["uid"], unique=True)
    op.create_table(
        "replica_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("upstream", sa.Text(), nullable=False),
        sa.Column("plan_uid", sa.Text(), nullable=False),
        sa.Column("upstream_history", sa.Integer(), nullable=False),
        sa.Column("local_history", sa.Integer(), nullable=False),
        sa.Column("upstream_values", sa.Integer(), nullable=False),
        sa.Column("local_values", sa.Integer(), nullable=False),
        sa.Column("checked_out_at", sa.DateTime(), nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.Text(), nullable=False, server_default=""),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("replaced_uid", sa.Text(), nullable=False),
        sa.Column("standing_uid", sa.Text(), nullable=False),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("reviewed_by", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["action.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sync_conflict_uid", "sync_conflict", ["uid"], unique=True)
    op.create_index("ix_sync_conflict_action_id", "sync_conflict", ["action_id"], unique=False)


def downgrade() -> None:
    op.drop_table("sync_conflict")
    op.drop_table("replica_state")
    for table in reversed(_WITH_UIDS):
        if table != "plan":
            op.drop_index(f"ix_{table}_uid", table_name=table)
        op.drop_column(table, "uid")
