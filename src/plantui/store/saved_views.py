"""Saved views in the store: list, find, save and delete the plan's named views.

The CLI (`plantui view ...`, `plantui list --view`) and the workbench (`v`, the palette) call these
and nothing else; what a view is, and what makes one valid, is `plantui.domain.saved_views`. A view
is checked against the plan as it is (its `theme:` and `lead:` terms must name something, its node
must be a theme, area or objective) before it is written, and each save or delete is one write
transaction. Names are one per plan whatever their case ("exceptions" replaces "Exceptions").

A view is not a change to the plan's actions, so it writes no history row; each save, replace or
delete writes a row in the plan's log instead (`plantui.store.sync_plan_log`), in the same
transaction, which is how a sync carries views between a replica and its upstream.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update

from plantui.domain.errors import InputError, NotFoundError
from plantui.domain.saved_views import SavedView, checked_name, checked_view, name_key
from plantui.domain.text import visible
from plantui.store import tables as T
from plantui.store.database import Database
from plantui.store.plans import current_plan_id, views_of_plan
from plantui.store.queries import list_actions, nodes
from plantui.store.sync_plan_log import log_view


class ViewNameTaken(InputError):
    """The plan already has a view of that name (in some case): saving over it needs `replace`."""

    def __init__(self, name: str, existing: str) -> None:
        super().__init__(
            f"view '{visible(name)}': the plan already has a view called '{visible(existing)}' "
            "(--replace to replace it)"
        )
        self.existing = existing


def list_views(database: Database) -> list[SavedView]:
    """The plan's views, oldest first (the picker numbers them in this order)."""
    with database.read() as conn:
        return views_of_plan(conn, current_plan_id(conn, database))


def get_view(database: Database, name: str) -> SavedView:
    """The view called `name` (any case); `NotFoundError` naming it, and the views there are, if none."""
    views = list_views(database)
    wanted = name_key(name)
    for view in views:
        if name_key(view.name) == wanted:
            return view
    raise NotFoundError(_no_such_view(name, views))


def _no_such_view(name: str, views: list[SavedView]) -> str:
    known = ", ".join(f"'{visible(view.name)}'" for view in views) or "none yet"
    return f"view '{visible(name)}': no view of that name (the plan's views: {known})"


def save_view(
    database: Database, view: SavedView, *, replace: bool = False, author: str = ""
) -> tuple[SavedView, bool]:
    """Check `view` against the plan and keep it; returns the view as kept and whether it replaced
    one of the same name. A name already taken is refused unless `replace` (the view keeps its
    place in the list, under the name as now written). `author` is who the plan's log names."""
    view = checked_view(view, list_actions(database), [node.ref for node in nodes(database)])
    key = name_key(view.name)
    v = T.saved_view
    with database.write() as conn:
        plan_id = current_plan_id(conn, database)
        existing = conn.execute(
            select(v.c.id, v.c.name, v.c.expression, v.c.node, v.c.sort).where(
                v.c.plan_id == plan_id, v.c.name_key == key
            )
        ).first()
        if existing is not None and not replace:
            raise ViewNameTaken(view.name, existing.name)
        values = {"name": view.name, "expression": view.filter, "node": view.node, "sort": view.sort}
        if existing is None:
            conn.execute(insert(v).values(plan_id=plan_id, name_key=key, **values))
        else:
            conn.execute(update(v).where(v.c.id == existing.id).values(**values))
        old = None if existing is None else SavedView(*existing[1:])
        log_view(conn, plan_id, old, view, author=author)
    return view, existing is not None


def delete_view(database: Database, name: str, *, author: str = "") -> SavedView:
    """Delete the view called `name` (any case); returns it as it was. `author` is who the plan's
    log names."""
    checked_name(name)
    v = T.saved_view
    with database.write() as conn:
        plan_id = current_plan_id(conn, database)
        row = conn.execute(
            select(v.c.id, v.c.name, v.c.expression, v.c.node, v.c.sort).where(
                v.c.plan_id == plan_id, v.c.name_key == name_key(name)
            )
        ).first()
        if row is None:
            raise NotFoundError(_no_such_view(name, views_of_plan(conn, plan_id)))
        conn.execute(delete(v).where(v.c.id == row.id))
        gone = SavedView(row.name, row.expression, row.node, row.sort)
        log_view(conn, plan_id, gone, None, author=author)
    return gone
