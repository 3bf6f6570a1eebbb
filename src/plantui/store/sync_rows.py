"""Row lookups the parts of a sync share: rows by uid, actions by ref, a chunk at a time.

A replica and its upstream number their rows apart; what names a row in both is its uid (history,
meetings, measure values and definition changes, the plan's log) or its ref (actions, measures).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select

from plantui.store import tables as T

CHUNK = 500  # uids looked up per statement (SQLite limits the parameters of one)


def ids_of(conn: Connection, table, uids: Iterable[str]) -> dict[str, int]:
    """The ids of the rows of `table` with these uids (the ones it holds)."""
    wanted = sorted(set(uids))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        found.update(conn.execute(select(table.c.uid, table.c.id).where(table.c.uid.in_(chunk))).all())
    return found


def action_ids_by_ref(conn: Connection, plan_id: int) -> dict[str, int]:
    a = T.action
    return dict(conn.execute(select(a.c.ref, a.c.id).where(a.c.plan_id == plan_id)).all())
