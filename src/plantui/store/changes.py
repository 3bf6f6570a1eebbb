"""Changing the plan: a status, a milestone, a note, and undo.

Each function is one transaction that writes the change and its history row together, then returns
what the caller needs to update its screen (the new history entry and the action as it now is). The
TUI, the CLI and the importers all change the plan through these functions and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, insert, select, text, update

from plantui.domain.errors import InputError, NotFoundError
from plantui.domain.milestones import Milestone, due_from_label, parse_milestone
from plantui.domain.statuses import status
from plantui.domain.views import ActionRow, HistoryEntry
from plantui.store import tables as T
from plantui.store.clock import local_text, to_utc_naive, utcnow
from plantui.store.database import Database
from plantui.store.plans import current_plan_id
from plantui.store.queries import action_by_ref, check_status
from plantui.store.watch import notify_change


@dataclass(frozen=True, slots=True)
class Superseded:
    """Someone changed the field after the caller last looked: the caller's change still applies (the
    later change wins, and both stay in history), and the caller should be told whose change it replaced.
    """

    field: str  # "status" or "milestone"
    expected: str  # what the caller believed the value was
    found: str  # what it was when the change was made
    by: str | None  # who made it so, when the history says
    at: datetime | None  # when (naive UTC)
    history_id: int | None
    already: bool = False  # it was already what the caller chose, so the value did not change

    def describe(self, show: Callable[[str], str] = str) -> str:
        """A sentence or two for the user; `show` renders a value (e.g. a status with its symbol)."""
        found = f"the {self.field} was {show(self.found)}, not {show(self.expected)} as you saw it"
        if self.by is not None and self.at is not None:
            when = local_text(self.at)
            found += f": {self.by} changed it at {when} (history #{self.history_id})"
        if self.already:
            outcome = "That is what you chose, so it stays as it is."
        elif self.by is not None:
            outcome = "Your change replaced theirs; both are in the history."
        else:
            outcome = "Your change replaced it."
        return f"{found[0].upper()}{found[1:]}. {outcome}"


@dataclass(frozen=True, slots=True)
class ChangeResult:
    action: ActionRow  # the action as it stands after the change
    entry: HistoryEntry | None  # None when nothing needed to change
    before: ActionRow | None = None  # the action before the change, for counts that move
    superseded: Superseded | None = None  # set when the action was not as the caller expected

    @property
    def entries(self) -> tuple[HistoryEntry, ...]:
        """The entries written, as `ChangesResult` gives them: none, or the one."""
        return () if self.entry is None else (self.entry,)


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
    meeting_id: int | None = None,
) -> HistoryEntry:
    moment = to_utc_naive(at) if at is not None else _now(conn)
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
            meeting_id=meeting_id,
        )
    ).inserted_primary_key[0]
    entry = HistoryEntry(
        history_id, action.ref, moment, author, field, old, new, note, undoes_id, meeting_id, action.title
    )
    if undoes_id is None:
        conn.execute(
            update(T.action).where(T.action.c.id == action.id).values(**_summary_after(action, entry))
        )
    else:
        _refresh_summary(conn, action.id)
    notify_change(conn, history_id)
    return entry


def _now(conn: Connection) -> datetime:
    """Now, in naive UTC. On a server, the server's clock: one clock for everyone sharing the plan, so
    the order of `at` agrees with the order changes were made, whatever each laptop's clock says."""
    if conn.dialect.name == "postgresql":
        return conn.execute(text("SELECT clock_timestamp() AT TIME ZONE 'UTC'")).scalar_one()
    return utcnow()


def _superseded(
    conn: Connection, action: ActionRow, field: str, expected: str | None, found: str, *, chosen: str
) -> Superseded | None:
    """Who made `field` what it is, when the caller expected something else (None when as expected)."""
    if expected is None or expected == found:
        return None
    already = found == chosen
    h = T.history
    last = conn.execute(
        select(h.c.id, h.c.author, h.c.at, h.c.new)
        .where(h.c.action_id == action.id, h.c.field == field)
        .order_by(h.c.id.desc())
        .limit(1)
    ).one_or_none()
    if last is None or last.new != found:
        return Superseded(field, expected, found, None, None, None, already)
    return Superseded(field, expected, found, last.author, last.at, last.id, already)


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
    return before._replace(**_summary_after(before, entry), **changed)  # type: ignore[arg-type]


def _refresh_summary(conn: Connection, action_id: int) -> None:
    """Keep the action's `updated_at` and `last_note` in step with its live history (the last note
    falls back to the commentary the plan came with)."""
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
        .values(updated_at=latest, last_note=last_note or T.action.c.commentary)
    )


def set_status(
    database: Database,
    ref: str,
    code: str,
    *,
    note: str = "",
    author: str,
    at: datetime | None = None,
    meeting_id: int | None = None,
    expected: str | None = None,
) -> ChangeResult:
    """Set an action's status, with optional commentary, as one history entry.

    Setting the status it already has records only the note (if any) and otherwise changes nothing.
    `meeting_id` records the change as made in that board meeting. `expected` is the status the caller
    last saw: when someone has changed it since, the change still applies and the result's
    `superseded` says whose change it replaced.
    """
    status(code)  # refuses an unknown code before anything is opened for writing
    if expected is not None:
        status(expected)
    who = _author(author)
    with database.write() as conn:
        before = action_by_ref(conn, database, ref)
        superseded = _superseded(conn, before, "status", expected, before.status, chosen=code)
        after, entries = _write_changes(
            conn, before, code=code, note=note.strip(), author=who, at=at, meeting_id=meeting_id
        )
        return ChangeResult(after, entries[0] if entries else None, before, superseded)


def _write_changes(
    conn: Connection,
    before: ActionRow,
    *,
    code: str | None = None,
    milestone: tuple[Milestone, str] | None = None,
    note: str,
    author: str,
    at: datetime | None,
    meeting_id: int | None,
) -> tuple[ActionRow, list[HistoryEntry]]:
    """Write what differs from `before`: the status, then the milestone (its parsed form and label),
    each with its own history entry carrying the note; with nothing to change, the note on its own.

    Returns the action as it now stands, worked out from the entries rather than read back.
    """
    current = before
    entries: list[HistoryEntry] = []
    if code is not None and code != current.status:
        entry = _write_status(conn, current, code, note=note, author=author, at=at, meeting_id=meeting_id)
        current = _after(current, entry, status=code)
        entries.append(entry)
    if milestone is not None and milestone[1] != current.milestone:
        parsed, label = milestone
        changed = _milestone_values(current, parsed, label)
        entry = _write_milestone(
            conn, current, parsed, label, note=note, author=author, at=at, meeting_id=meeting_id
        )
        current = _after(current, entry, **changed)
        entries.append(entry)
    if not entries and note:
        entry = _record_note(conn, current, note, author=author, at=at, meeting_id=meeting_id)
        current = _after(current, entry)
        entries.append(entry)
    return current, entries


def _record_note(
    conn: Connection,
    action: ActionRow,
    note: str,
    *,
    author: str,
    at: datetime | None,
    meeting_id: int | None,
    undoes_id: int | None = None,
) -> HistoryEntry:
    """A history row that only carries commentary (or, with `undoes_id`, withdraws a note)."""
    return _record(
        conn, action, field="note", old=None, new=None, note=note, author=author, at=at,
        undoes_id=undoes_id, meeting_id=meeting_id,
    )  # fmt: skip


def _write_status(
    conn: Connection,
    before: ActionRow,
    code: str,
    *,
    note: str,
    author: str,
    at: datetime | None,
    meeting_id: int | None = None,
) -> HistoryEntry:
    conn.execute(update(T.action).where(T.action.c.id == before.id).values(status=code))
    return _record(
        conn, before, field="status", old=before.status, new=code, note=note, author=author, at=at,
        meeting_id=meeting_id,
    )  # fmt: skip


def set_milestone(
    database: Database,
    ref: str,
    label: str,
    *,
    note: str = "",
    author: str,
    at: datetime | None = None,
    meeting_id: int | None = None,
    expected: str | None = None,
) -> ChangeResult:
    """Move an action's milestone. The label must be readable; the first milestone stays the baseline.

    Moving it to the milestone it already has records only the note (if any), as `set_status` does.
    `expected` is the milestone the caller last saw (see `set_status`).
    """
    milestone = parse_milestone(label)
    label = " ".join(label.split())
    who = _author(author)
    with database.write() as conn:
        before = action_by_ref(conn, database, ref)
        seen = " ".join(expected.split()) if expected is not None else None
        found = " ".join(before.milestone.split())
        superseded = _superseded(conn, before, "milestone", seen, found, chosen=label)
        after, entries = _write_changes(
            conn, before, milestone=(milestone, label), note=note.strip(), author=who, at=at,
            meeting_id=meeting_id,
        )  # fmt: skip
        return ChangeResult(after, entries[0] if entries else None, before, superseded)


def _write_milestone(
    conn: Connection,
    before: ActionRow,
    milestone: Milestone,
    label: str,
    *,
    note: str,
    author: str,
    at: datetime | None,
    meeting_id: int | None = None,
) -> HistoryEntry:
    values = _milestone_values(before, milestone, label)
    conn.execute(update(T.action).where(T.action.c.id == before.id).values(**values))
    return _record(
        conn, before, field="milestone", old=before.milestone, new=label, note=note, author=author, at=at,
        meeting_id=meeting_id,
    )  # fmt: skip


def _milestone_values(before: ActionRow, milestone: Milestone, label: str) -> dict[str, object]:
    """The action's columns that moving its milestone to `label` changes; the first one is the baseline."""
    values: dict[str, object] = {"milestone": label, "due": milestone.due}
    if not before.baseline:
        values.update(baseline=label, baseline_due=milestone.due)
    return values


@dataclass(frozen=True, slots=True)
class ChangesResult:
    action: ActionRow  # the action as it stands after the changes
    entries: tuple[HistoryEntry, ...]  # one per field that changed, in the order written; may be empty
    before: ActionRow
    superseded: Superseded | None = None  # the status was not what the caller expected


def change_action(
    database: Database,
    ref: str,
    *,
    code: str | None = None,
    milestone: str | None = None,
    note: str = "",
    author: str,
    at: datetime | None = None,
    meeting_id: int | None = None,
    expected: str | None = None,
) -> ChangesResult:
    """Change an action's status and its milestone together, in one transaction.

    Each field that changes gets its own history entry (status first, then milestone), both carrying
    the note, so undo takes them back one at a time and each entry reads on its own. With nothing to
    change, a note is recorded on its own. A bad status or an unreadable label refuses the whole
    change before anything is written. `expected` is the status the caller last saw (see `set_status`).
    """
    if code is not None:
        status(code)
    if expected is not None:
        status(expected)
    moved = None if milestone is None else (parse_milestone(milestone), " ".join(milestone.split()))
    who = _author(author)
    with database.write() as conn:
        before = action_by_ref(conn, database, ref)
        superseded = (
            _superseded(conn, before, "status", expected, before.status, chosen=code)
            if code is not None
            else None
        )
        after, entries = _write_changes(
            conn, before, code=code, milestone=moved, note=note.strip(), author=who, at=at,
            meeting_id=meeting_id,
        )  # fmt: skip
        return ChangesResult(after, tuple(entries), before, superseded)


def add_note(
    database: Database,
    ref: str,
    note: str,
    *,
    author: str,
    at: datetime | None = None,
    meeting_id: int | None = None,
) -> ChangeResult:
    """Record commentary on an action without changing anything else."""
    text = note.strip()
    if not text:
        raise InputError("note: the note is empty")
    who = _author(author)
    with database.write() as conn:
        before = action_by_ref(conn, database, ref)
        entry = _record_note(conn, before, text, author=who, at=at, meeting_id=meeting_id)
        return ChangeResult(_after(before, entry), entry, before)


def undo_last(
    database: Database,
    *,
    author: str,
    only_by: str | None = None,
    at: datetime | None = None,
    meeting_id: int | None = None,
) -> ChangeResult:
    """Undo the newest change that has not been undone, by adding a history row that reverses it.

    `only_by` limits it to the newest change by that author. Nothing is ever deleted. The undo row
    carries `meeting_id` when it is made in a meeting.
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
            check_status(target.old, f"action {target.ref} in history #{target.id}")
            conn.execute(update(T.action).where(T.action.c.id == before.id).values(status=target.old))
            entry = _record(
                conn, before, field="status", old=before.status, new=target.old,
                note="", author=who, at=at, undoes_id=target.id, meeting_id=meeting_id,
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
                note="", author=who, at=at, undoes_id=target.id, meeting_id=meeting_id,
            )  # fmt: skip
        else:
            entry = _record_note(
                conn, before, "", author=who, at=at, meeting_id=meeting_id, undoes_id=target.id
            )
        return ChangeResult(action_by_ref(conn, database, before.ref), entry, before)


def undone_ids(database: Database) -> set[int]:
    """Ids of history rows that a later row has undone."""
    with database.read() as conn:
        return set(
            conn.execute(select(T.history.c.undoes_id).where(T.history.c.undoes_id.is_not(None))).scalars()
        )
