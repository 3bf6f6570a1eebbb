"""The plan's log (`plan_log`): saved views and leads' people, written as events and carried by sync.

A saved view or the person behind a lead's role is no change to an action, so it has no history row;
but every copy of the plan should end with the same ones. So each save, replace or delete of a view
(`log_view`) and each change of a lead's person or e-mail (`log_lead`) writes a row here in the
same transaction, and nothing when nothing changed. A row names what it is about by `kind` and
`key` ("view" and the view's folded name, or "lead" and the role) and `field` ("view", or "person"
or "email"), with the value before and after (a view as JSON; NULL once it is deleted). Loading a
plan (an import, a plan file, a copy) writes no rows: what it brings is the plan's starting state.

A sync (`plantui.store.replicas`) carries the rows by uid, as it carries history entries, through
`LogSync`: the replica's rows after its mark go up (each only if the upstream does not hold its uid),
everyone else's come down, the replica's rows after its mark are put in the upstream's order, and
each (kind, key, field) a sync touched is made what its last row in that order says (`settle_log`).
Where two copies changed the same view or lead between syncs, both rows stay and the later stands.
`LogCopy` does the same for a checkout: the upstream's rows, uids and origins kept.

A view's place in the list (the workbench numbers views oldest first) is not in the log: a view
a sync makes goes after the others, in the order of the saves under a new name that made them (so
views keep the order they were made in), and a replica puts its views in the upstream's order at the
end of each sync, so both export the same plan.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select, update

from plantui.domain.errors import StoreError
from plantui.domain.saved_views import SavedView, name_key
from plantui.domain.text import visible
from plantui.store import tables as T
from plantui.store.clock import utcnow
from plantui.store.plans import officer_ids, views_of_plan
from plantui.store.sync_rows import ids_of

VIEW = "view"
LEAD = "lead"
LEAD_FIELDS = ("person", "email")


# --- writing the log ----------------------------------------------------------------------------------


def view_json(view: SavedView) -> str:
    """A view as its log row holds it."""
    data = {"name": view.name, "expression": view.filter, "node": view.node, "sort": view.sort}
    return json.dumps(data, ensure_ascii=False)


def _view_from_json(text: str, key: str) -> SavedView:
    """The view a log row holds; a row that holds no readable view, or one under another name, stops
    the sync in one line (it was not written by plantui)."""
    try:
        data = json.loads(text)
        view = SavedView(data["name"], data.get("expression", ""), data.get("node", ""), data.get("sort", ""))
        readable = all(isinstance(value, str) for value in (view.name, view.filter, view.node, view.sort))
    except (ValueError, TypeError, KeyError):
        readable = False
    if not readable or name_key(view.name) != key:
        raise StoreError(
            f"the plan's log holds a view '{visible(key)}' that cannot be read; nothing was synced"
        )
    return view


def log_view(
    conn: Connection, plan_id: int, old: SavedView | None, new: SavedView | None, *, author: str
) -> None:
    """Record, inside the caller's write, that a view was saved (`old` None), replaced or deleted
    (`new` None); nothing when it is the same as it was."""
    if old == new:
        return
    named = new if new is not None else old
    assert named is not None
    _append(
        conn,
        plan_id,
        author,
        VIEW,
        name_key(named.name),
        VIEW,
        view_json(old) if old is not None else None,
        view_json(new) if new is not None else None,
    )


def log_lead(
    conn: Connection, plan_id: int, role: str, field: str, old: str, new: str, *, author: str
) -> None:
    """Record, inside the caller's write, a change of the person or e-mail behind a lead's role;
    nothing when it is the same as it was."""
    if field not in LEAD_FIELDS:
        raise ValueError(f"a lead's {field} is not in the plan's log")
    if old != new:
        _append(conn, plan_id, author, LEAD, role, field, old, new)


def _append(
    conn: Connection,
    plan_id: int,
    author: str,
    kind: str,
    key: str,
    field: str,
    old: str | None,
    new: str | None,
) -> None:
    conn.execute(
        insert(T.plan_log).values(
            plan_id=plan_id, at=utcnow(), author=author, kind=kind, key=key, field=field, old=old, new=new
        )
    )


# --- reading and carrying it --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LogRow:
    """A row of the plan's log as every copy of the plan knows it."""

    uid: str
    at: datetime
    author: str
    kind: str
    key: str
    field: str
    old: str | None
    new: str | None
    origin: str


def read_log(conn: Connection, plan_id: int, *, after: int = 0) -> list[LogRow]:
    """The plan's log rows with an id above `after`, in id order."""
    g = T.plan_log
    rows = conn.execute(
        select(g.c.uid, g.c.at, g.c.author, g.c.kind, g.c.key, g.c.field, g.c.old, g.c.new, g.c.origin)
        .where(g.c.plan_id == plan_id, g.c.id > after)
        .order_by(g.c.id)
    ).all()
    return [LogRow(*row) for row in rows]


def log_mark(conn: Connection, plan_id: int) -> int:
    """The id of the plan's newest log row (0 when none)."""
    g = T.plan_log
    return conn.execute(select(func.coalesce(func.max(g.c.id), 0)).where(g.c.plan_id == plan_id)).scalar_one()


def insert_log(conn: Connection, plan_id: int, rows: Sequence[LogRow]) -> list[LogRow]:
    """Append, in the order given, the rows this side does not hold yet (by uid); returns those."""
    held = ids_of(conn, T.plan_log, (row.uid for row in rows))
    new = [row for row in rows if row.uid not in held]
    if new:
        conn.execute(
            insert(T.plan_log),
            [
                {
                    "plan_id": plan_id,
                    "at": row.at,
                    "author": row.author,
                    "kind": row.kind,
                    "key": row.key,
                    "field": row.field,
                    "old": row.old,
                    "new": row.new,
                    "uid": row.uid,
                    "origin": row.origin,
                }
                for row in new
            ],
        )
    return new


def touched(rows: Iterable[LogRow]) -> set[tuple[str, str, str]]:
    return {(row.kind, row.key, row.field) for row in rows}


def settle_log(conn: Connection, plan_id: int, keys: Iterable[tuple[str, str, str]]) -> None:
    """Make each (kind, key, field) what its last row in the log (in id order) says: a view saved,
    replaced or deleted, a lead's person or e-mail set. A view that comes into being goes after the
    others, in the order of the rows that made it (a save under a new name), as where it was saved."""
    wanted = set(keys)
    if not wanted:
        return
    g = T.plan_log
    newest = select(func.max(g.c.id)).where(g.c.plan_id == plan_id).group_by(g.c.kind, g.c.key, g.c.field)
    last = conn.execute(
        select(g.c.id, g.c.kind, g.c.key, g.c.field, g.c.new).where(g.c.id.in_(newest)).order_by(g.c.id)
    ).all()
    views: dict[str, tuple[int, SavedView | None]] = {}
    for row_id, kind, key, field, new in last:
        if (kind, key, field) not in wanted:
            continue
        if kind == VIEW and field == VIEW:
            views[key] = (row_id, _view_from_json(new, key) if new is not None else None)
        elif kind == LEAD and field in LEAD_FIELDS:
            officer = officer_ids(conn, {key})[key]
            conn.execute(update(T.officer).where(T.officer.c.id == officer).values({field: new or ""}))
        # A kind or field this plantui does not know stays in the log for one that does.
    if views:
        _settle_views(conn, plan_id, views)


def _settle_views(conn: Connection, plan_id: int, views: dict[str, tuple[int, SavedView | None]]) -> None:
    """Delete, replace in place, or add each view as its last row says (`views`: folded name to the
    last row's id and view, None when deleted)."""
    v, g = T.saved_view, T.plan_log
    held = set(
        conn.execute(select(v.c.name_key).where(v.c.plan_id == plan_id, v.c.name_key.in_(views))).scalars()
    )
    made: dict[str, int] = dict(
        conn.execute(
            select(g.c.key, func.max(g.c.id))
            .where(g.c.plan_id == plan_id, g.c.kind == VIEW, g.c.key.in_(views), g.c.old.is_(None))
            .group_by(g.c.key)
        ).all()
    )
    new_ones = []
    for key, (row_id, view) in views.items():
        here = v.c.plan_id == plan_id, v.c.name_key == key
        if view is None:
            conn.execute(delete(v).where(*here))
            continue
        values = {"name": view.name, "expression": view.filter, "node": view.node, "sort": view.sort}
        if key in held:
            conn.execute(update(v).where(*here).values(**values))
        else:
            new_ones.append((made.get(key, row_id), key, values))
    for _, key, values in sorted(new_ones):
        conn.execute(insert(v).values(plan_id=plan_id, name_key=key, **values))


def _order_views_as(conn: Connection, plan_id: int, order: Sequence[str]) -> None:
    """Put the plan's views in the order of these folded names (any not named stay last, in their
    order): the replica's list as the upstream numbers it."""
    views = views_of_plan(conn, plan_id)
    place = {key: position for position, key in enumerate(order)}
    ordered = sorted(views, key=lambda view: place.get(name_key(view.name), len(order)))
    if ordered == views:
        return
    v = T.saved_view
    conn.execute(delete(v).where(v.c.plan_id == plan_id))
    conn.execute(
        insert(v),
        [
            {
                "plan_id": plan_id,
                "name": view.name,
                "name_key": name_key(view.name),
                "expression": view.filter,
                "node": view.node,
                "sort": view.sort,
            }
            for view in ordered
        ],
    )


def _marks(conn: Connection) -> tuple[int, int]:
    r = T.replica_state
    row = conn.execute(select(r.c.upstream_log, r.c.local_log).order_by(r.c.id).limit(1)).one()
    return row.upstream_log, row.local_log


def _set_marks(conn: Connection, upstream_log: int, local_log: int) -> None:
    conn.execute(update(T.replica_state).values(upstream_log=upstream_log, local_log=local_log))


def waiting_log_rows(conn: Connection) -> int:
    """How many of a replica's log rows wait to be sent."""
    _, local_log = _marks(conn)
    g = T.plan_log
    return conn.execute(select(func.count()).select_from(g).where(g.c.id > local_log)).scalar_one()


# --- a checkout ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LogCopy:
    """The upstream's log as a checkout reads it, to give the new replica."""

    rows: list[LogRow]
    upstream_mark: int

    @classmethod
    def read(cls, conn: Connection, plan_id: int) -> LogCopy:
        return cls(read_log(conn, plan_id), log_mark(conn, plan_id))

    def fill(self, conn: Connection, plan_id: int) -> None:
        """Write the rows into the replica (its `replica_state` row made) and set its marks."""
        insert_log(conn, plan_id, self.rows)
        _set_marks(conn, self.upstream_mark, log_mark(conn, plan_id))


# --- a sync -------------------------------------------------------------------------------------------


@dataclass(slots=True)
class LogSync:
    """One sync's part for the plan's log: `start` on the replica, `send` on the upstream, `bring_down`
    on the replica again (the three inside the sync's transactions)."""

    upstream_mark: int
    local_mark: int
    tail: list[LogRow]  # the replica's rows after its mark
    pulled: list[LogRow] | None = None  # the upstream's rows after its mark, once sent
    upstream_views: list[str] | None = None  # the upstream's views (folded names), in its order
    new_upstream_mark: int = 0
    sent: int = 0
    received: int = 0

    @classmethod
    def start(cls, local: Connection, plan_id: int) -> LogSync:
        upstream_mark, local_mark = _marks(local)
        return cls(upstream_mark, local_mark, read_log(local, plan_id, after=local_mark))

    def send(self, local: Connection, local_plan: int, remote: Connection, remote_plan: int) -> None:
        """Put the replica's rows on the upstream and settle what they touched; read what comes down."""
        if not self._continues(local, remote):
            # The upstream was set back (or the replica was): compare the whole log, by uid.
            self.upstream_mark = self.local_mark = 0
            self.tail = read_log(local, local_plan)
        mine = {row.uid for row in self.tail}
        sent = insert_log(remote, remote_plan, self.tail)
        settle_log(remote, remote_plan, touched(sent))
        self.pulled = read_log(remote, remote_plan, after=self.upstream_mark)
        self.upstream_views = [name_key(view.name) for view in views_of_plan(remote, remote_plan)]
        self.new_upstream_mark = log_mark(remote, remote_plan)
        self.sent = len(sent)
        self.received = sum(1 for row in self.pulled if row.uid not in mine)

    def counted(self, result):
        """The sync's result with this part's rows counted in (`SyncResult` has `sent`, `received`)."""
        return replace(result, sent=result.sent + self.sent, received=result.received + self.received)

    def bring_down(self, local: Connection, plan_id: int) -> None:
        """Put the replica's rows after its mark in the upstream's order, settle what changed, and
        move the marks."""
        assert self.pulled is not None and self.upstream_views is not None, "send first"
        if [row.uid for row in self.pulled] != [row.uid for row in self.tail]:
            g = T.plan_log
            local.execute(delete(g).where(g.c.plan_id == plan_id, g.c.id > self.local_mark))
            insert_log(local, plan_id, self.pulled)
            settle_log(local, plan_id, touched(self.tail) | touched(self.pulled))
        _order_views_as(local, plan_id, self.upstream_views)
        _set_marks(local, self.new_upstream_mark, log_mark(local, plan_id))

    def _continues(self, local: Connection, remote: Connection) -> bool:
        """Whether the row both sides agreed on last is still where each side had it."""
        g = T.plan_log

        def uid_at(conn: Connection, row_id: int) -> str | None:
            return conn.execute(select(g.c.uid).where(g.c.id == row_id)).scalar() if row_id else None

        return uid_at(local, self.local_mark) == uid_at(remote, self.upstream_mark)
