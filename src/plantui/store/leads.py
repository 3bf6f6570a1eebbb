"""An action's leads in the store: the `officer` rows (one per name) and the ordered `action_lead`
rows that name an action's leads, read as the plan's list of leads and rewritten when someone edits
them (`plantui.store.changes` records the history row in the same transaction)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, delete, insert, select

from plantui.store import tables as T
from plantui.store.database import Database
from plantui.store.plans import current_plan_id


def officer_ids(conn: Connection, names: Sequence[str]) -> dict[str, int]:
    """The officer row of each name, adding a row for a name the store has not seen yet."""
    if not names:
        return {}
    o = T.officer
    known = dict(conn.execute(select(o.c.name, o.c.id).where(o.c.name.in_(list(names)))).all())
    for name in names:
        if name not in known:
            known[name] = conn.execute(insert(o).values(name=name)).inserted_primary_key[0]
    return known


def replace_leads(conn: Connection, action_id: int, leads: Sequence[str]) -> None:
    """Make `leads` (distinct names, in order) the action's leads, inside the caller's write."""
    ids = officer_ids(conn, leads)
    conn.execute(delete(T.action_lead).where(T.action_lead.c.action_id == action_id))
    if leads:
        conn.execute(
            insert(T.action_lead),
            [
                {"action_id": action_id, "officer_id": ids[name], "position": position}
                for position, name in enumerate(leads)
            ],
        )


def plan_leads(database: Database) -> list[str]:
    """Every name that leads an action of the plan, once each, in alphabetical order (case ignored):
    what the workbench offers when someone chooses an action's leads."""
    with database.read() as conn:
        plan_id = current_plan_id(conn, database)
        names = conn.execute(
            select(T.officer.c.name)
            .distinct()
            .join(T.action_lead, T.action_lead.c.officer_id == T.officer.c.id)
            .join(T.action, T.action.c.id == T.action_lead.c.action_id)
            .where(T.action.c.plan_id == plan_id)
        ).scalars()
        return sorted(names, key=lambda name: (name.casefold(), name))
