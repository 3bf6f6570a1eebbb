"""Changing the plan: a status, a milestone, a note, and undo.

Each function is one transaction that writes the change and its history row together, then returns
what the caller needs to update its screen (the new history entry and the action as it now is). The
TUI, the CLI and the importers all change the plan through these functions and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, func, insert, select, update

from plantui.domain.errors import InputError, NotFoundError
from plantui.domain.milestones import due_from_label, parse_milestone
from plantui.domain.statuses import status
from plantui.domain.views import ActionRow, HistoryEntry
from plantui.store import tables as T
from plantui.store.clock import to_utc_naive, utcnow
from plantui.store.database import Database
from plantui.store.plans import current_plan_id
from plantui.store.queries import action_by_ref


@dataclass(frozen=True, slots=True)
class ChangeResult:
    action: ActionRow  # the action as it stands after the change
    entry: HistoryEntry | None  # None when nothing needed to change
    before: ActionRow | None = None  # the action before the change, for counts that move


def _author(author: str) -> str:
    name = (author or "").strip()
    if not name:
        raise InputError("author: say who is making the change (--author NAME)")
    return name


def _record(
    conn: Connection,
    action: ActionRow,
    *,
    field: str,
    old: str | None,
    new: str | None,
    note: str,
    author: str,
    at: datetime | None,
    undoes_id: int | None = None,
) -> HistoryEntry:
    moment = to_utc_naive(at) if at is not None else utcnow()
    history_id = conn.execute(
        insert(T.history).values(
            action_id=action.id,
            at=moment,
            author=author,
            field=field,
            old=old,
            new=new,
            note=note,
            undoes_id=undoes_id,
        )
    ).inserted_primary_key[0]
    entry = HistoryEntry(history_id, action.ref, moment, author, field, old, new, note, undoes_id)
    if undoes_id is None:
        conn.execute(
            update(T.action).where(T.action.c.id == action.id).values(**_summary_after(action, entry))
        )
    else:
        _refresh_summary(conn, action.id)
    return entry


def _summary_after(before: ActionRow, entry: HistoryEntry) -> dict[str, object]:
    """The action's `updated_at` and `last_note` once `entry`, which undoes nothing, is added.

    The new entry is the newest row and stands, so its note (if any) is now the last note, and the
    latest change is the later of the two times: no need to read the history again, which keeps a
    status key's transaction to a few statements at 100,000 history rows. An undo can bring back an
    older note and goes through `_refresh_summary` instead.
    """
    latest = before.updated_at
    if latest is None or entry.at > latest:
        latest = entry.at
    return {"updated_at": latest, "last_note": entry.note or before.last_note}


def _after(before: ActionRow, entry: HistoryEntry, **changed: object) -> ActionRow:
    """The action as it stands after `entry` (which undoes nothing) and the column changes made with it."""
    return replace(before, **_summary_after(before, entry), **changed)  # type: ignore[arg-type]


def _refresh_summary(conn: Connection, action_id: int) -> None:
    """Keep the action's `updated_at` and `last_note` in step with its live history."""
    h = T.history
    undone = select(h.c.undoes_id).where(h.c.action_id == action_id, h.c.undoes_id.is_not(None))
    latest = conn.execute(select(func.max(h.c.at)).where(h.c.action_id == action_id)).scalar()
    last_note = conn.execute(
        select(h.c.note)
        .where(
            h.c.action_id == action_id,
            h.c.note != "",
            h.c.undoes_id.is_(None),
            h.c.id.not_in(undone),
        )
        .order_by(h.c.id.desc())
        .limit(1)
    ).scalar()
    conn.execute(
        update(T.action)
        .where(T.action.c.id == action_id)
        .values(updated_at=latest, last_note=last_note or "")
    )


def set_status(
    database: Database,
    ref: str,
    code: str,
    *,
    note: str = "",
    author: str,
    at: datetime | None = None,
) -> ChangeResult:
    """Set an action's status, with optional commentary, as one history entry.

    Setting the status it already has records only the note (if any) and otherwise changes nothing.
    """
    status(code)  # refuses an unknown code before anything is opened for writing
    who = _author(author)
    note = note.strip()
    with database.write() as conn:
        before = action_by_ref(conn, database, ref)
        if before.status == code:
            if not note:
                return ChangeResult(before, None, before)
            entry = _record(conn, before, field="note", old=None, new=None, note=note, author=who, at=at)
            return ChangeResult(_after(before, entry), entry, before)
        else:
            conn.execute(update(T.action).where(T.action.c.id == before.id).values(status=code))
            entry = _record(
                conn,
                before,
                field="status",
                old=before.status,
                new=code,
                note=note,
                author=who,
                at=at,
            )
        return ChangeResult(_after(before, entry, status=code), entry, before)


def set_milestone(
    database: Database,
    ref: str,
    label: str,
    *,
    note: str = "",
    author: str,
    at: datetime | None = None,
) -> ChangeResult:
    """Move an action's milestone. The label must be readable; the first milestone stays the baseline."""
    milestone = parse_milestone(label)
    label = " ".join(label.split())
    who = _author(author)
    with database.write() as conn:
        before = action_by_ref(conn, database, ref)
        if before.milestone == label:
            return ChangeResult(before, None, before)
        values: dict[str, object] = {"milestone": label, "due": milestone.due}
        if not before.baseline:
            values.update(baseline=label, baseline_due=milestone.due)
        conn.execute(update(T.action).where(T.action.c.id == before.id).values(**values))
        entry = _record(
            conn,
            before,
            field="milestone",
            old=before.milestone,
            new=label,
            note=note.strip(),
            author=who,
            at=at,
        )
        return ChangeResult(_after(before, entry, **values), entry, before)


def add_note(
    database: Database, ref: str, note: str, *, author: str, at: datetime | None = None
) -> ChangeResult:
    """Record commentary on an action without changing anything else."""
    text = note.strip()
    if not text:
        raise InputError("note: the note is empty")
    who = _author(author)
    with database.write() as conn:
        before = action_by_ref(conn, database, ref)
        entry = _record(conn, before, field="note", old=None, new=None, note=text, author=who, at=at)
        return ChangeResult(_after(before, entry), entry, before)


def undo_last(
    database: Database, *, author: str, only_by: str | None = None, at: datetime | None = None
) -> ChangeResult:
    """Undo the newest change that has not been undone, by adding a history row that reverses it.

    `only_by` limits it to the newest change by that author. Nothing is ever deleted.
    """
    who = _author(author)
    h = T.history
    with database.write() as conn:
        plan_id = current_plan_id(conn, database)
        undone = select(h.c.undoes_id).where(h.c.undoes_id.is_not(None))
        query = (
            select(h.c.id, h.c.action_id, h.c.field, h.c.old, h.c.new, h.c.note, T.action.c.ref)
            .join(T.action, T.action.c.id == h.c.action_id)
            .where(T.action.c.plan_id == plan_id, h.c.undoes_id.is_(None), h.c.id.not_in(undone))
            .order_by(h.c.id.desc())
            .limit(1)
        )
        if only_by:
            query = query.where(h.c.author == only_by)
        target = conn.execute(query).one_or_none()
        if target is None:
            raise NotFoundError("there is no change left to undo")
        before = action_by_ref(conn, database, target.ref)
        if target.field == "status":
            conn.execute(update(T.action).where(T.action.c.id == before.id).values(status=target.old))
            entry = _record(
                conn, before, field="status", old=before.status, new=target.old,
                note="", author=who, at=at, undoes_id=target.id,
            )  # fmt: skip
        elif target.field == "milestone":
            label = target.old or ""
            conn.execute(
                update(T.action)
                .where(T.action.c.id == before.id)
                .values(milestone=label, due=due_from_label(label))
            )
            entry = _record(
                conn, before, field="milestone", old=before.milestone, new=label,
                note="", author=who, at=at, undoes_id=target.id,
            )  # fmt: skip
        else:
            entry = _record(
                conn, before, field="note", old=None, new=None,
                note="", author=who, at=at, undoes_id=target.id,
            )  # fmt: skip
        return ChangeResult(action_by_ref(conn, database, before.ref), entry, before)


def undone_ids(database: Database) -> set[int]:
    """Ids of history rows that a later row has undone."""
    with database.read() as conn:
        return set(
            conn.execute(select(T.history.c.undoes_id).where(T.history.c.undoes_id.is_not(None))).scalars()
        )
