"""The update rounds' part of a sync: rounds and their returns carried between a replica and its upstream.

A return names the undo step it made by a history id (`round_return.step_id`). Ids are each store's
own: the upstream numbers the entries a replica sends after its own, and a replica's sync puts its
history after the mark back in the upstream's order with new ids (`replicas._rewrite_tail`). So a
step is carried, and kept, by the uid of its first entry: `return_steps` reads each return's step as
that uid before the history is renumbered, and `restore_return_steps` points each return back at the
entry with that uid afterwards.
"""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select, update

from plantui.store import tables as T
from plantui.store.sync_rows import ids_of


def return_steps(conn: Connection, plan_id: int) -> dict[int, str]:
    """The plan's returns that made a step: return id -> the uid of the step's first entry."""
    r, u, h = T.round_return, T.update_round, T.history
    return dict(
        conn.execute(
            select(r.c.id, h.c.uid)
            .join(u, u.c.id == r.c.round_id)
            .join(h, h.c.id == r.c.step_id)
            .where(u.c.plan_id == plan_id)
        ).all()
    )


def restore_return_steps(conn: Connection, steps: dict[int, str]) -> None:
    """Point each return at its step's first entry again, found by uid (`return_steps` read them)."""
    if not steps:
        return
    ids = ids_of(conn, T.history, steps.values())
    r = T.round_return
    conn.execute(
        update(r).where(r.c.id == bindparam("row_id")).values(step_id=bindparam("step")),
        [{"row_id": return_id, "step": ids.get(uid)} for return_id, uid in steps.items()],
    )
