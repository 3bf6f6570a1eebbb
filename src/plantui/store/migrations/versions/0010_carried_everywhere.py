"""What a sync carries beyond action history: the store each entry was made in, measure definitions'
history by uid, and a log of the plan's shared settings (saved views, leads' people).

- `store_identity`: the store's one row, a uid of its own (every copy of a plan has another).
- `origin` on `history`, `measure_value` and `measure_change`: the uid of the store that made the
  row. Rows that exist are stamped with this store's uid, except, in a replica, the rows it took
  from its upstream (up to its marks), which stay empty: where they were made is not known here.
- `measure_change.uid`, given to the rows that exist from what they say (`_content_uids`): a replica
  and its upstream, each upgraded on its own, give the rows they share the same uids, so their
  first sync takes nothing twice.
- `plan_log`: saved views saved or deleted and leads' people changed, one row each.
- `replica_state` gains the marks of the last sync for `measure_change` and `plan_log`.

Columns are added in place (a plain ADD COLUMN, as 0008 and 0009 did), so no table is copied.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 05:00:00
"""

import hashlib
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from plantui.domain.uids import new_uid

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_WITH_ORIGIN = ("history", "measure_value", "measure_change")
# The replica's mark up to which each table's rows came from the upstream.
_LOCAL_MARK = {"history": "local_history", "measure_value": "local_values"}
_MARKS = ("upstream_changes", "local_changes", "upstream_log", "local_log")


def _content_uids(rows) -> list[str]:
    """A uid for each (ref, at, author, field, old, new) row, in id order: the time of the row, then a
    digest of what it says and how many rows before it said the same (the same on every copy)."""
    seen: dict[tuple, int] = {}
    uids = []
    for ref, at, author, field, old, new in rows:
        moment = datetime.fromisoformat(str(at))
        said = (ref, moment.isoformat(timespec="microseconds"), author, field, old, new)
        occurrence = seen.get(said, 0)
        seen[said] = occurrence + 1
        digest = hashlib.sha256(repr((*said, occurrence)).encode()).hexdigest()[:20]
        millis = int(moment.replace(tzinfo=UTC).timestamp() * 1000)
        uids.append(f"{millis & 0xFFFFFFFFFFFF:012x}{digest}")
    return uids


def upgrade() -> None:
    conn = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    op.create_table(
        "store_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.Text(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    store = new_uid()
    conn.execute(
        sa.text("INSERT INTO store_identity (id, uid, made_at) VALUES (1, :uid, :at)"),
        {"uid": store, "at": now},
    )
    # uid before origin: the columns come in the order the models declare them.
    op.add_column("measure_change", sa.Column("uid", sa.Text(), nullable=False, server_default=""))
    rows = conn.execute(
        sa.text(
            "SELECT c.id, m.ref, c.at, c.author, c.field, c.old, c.new FROM measure_change c "
            "JOIN measure m ON m.id = c.measure_id ORDER BY c.id"
        )
    ).all()
    if rows:
        conn.execute(
            sa.text("UPDATE measure_change SET uid = :uid WHERE id = :id"),
            [
                {"uid": uid, "id": row[0]}
                for uid, row in zip(_content_uids([row[1:] for row in rows]), rows, strict=True)
            ],
        )
    marks = conn.execute(sa.text("SELECT local_history, local_values FROM replica_state")).first()
    for table in _WITH_ORIGIN:
        op.add_column(table, sa.Column("origin", sa.Text(), nullable=False, server_default=""))
        after = 0
        if marks is not None and table in _LOCAL_MARK:
            after = marks[0] if table == "history" else marks[1]
        elif marks is not None:
            after = None  # a replica's definitions history: whose it was is not known here
        if after is not None:
            conn.execute(
                sa.text(f"UPDATE {table} SET origin = :store WHERE id > :after"),
                {"store": store, "after": after},
            )
    op.create_index("ix_measure_change_uid", "measure_change", ["uid"], unique=True)
    for mark in _MARKS:
        op.add_column("replica_state", sa.Column(mark, sa.Integer(), nullable=False, server_default="0"))
    # A replica's definitions history keeps marks of 0: its first sync compares the whole of it by uid.
    op.create_table(
        "plan_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.Column("uid", sa.Text(), nullable=False, server_default=""),
        sa.Column("origin", sa.Text(), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_plan_log_plan_id", "plan_log", ["plan_id"], unique=False)
    op.create_index("ix_plan_log_uid", "plan_log", ["uid"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_plan_log_uid", table_name="plan_log")
    op.drop_index("ix_plan_log_plan_id", table_name="plan_log")
    op.drop_table("plan_log")
    for mark in reversed(_MARKS):
        op.drop_column("replica_state", mark)
    op.drop_index("ix_measure_change_uid", table_name="measure_change")
    op.drop_column("measure_change", "uid")
    for table in reversed(_WITH_ORIGIN):
        op.drop_column(table, "origin")
    op.drop_table("store_identity")
