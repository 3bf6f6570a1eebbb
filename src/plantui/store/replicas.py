"""Replicas of a plan and syncing them: a laptop's file that goes offline and comes back.

`checkout` makes a replica: a whole copy of the upstream's plan (a PostgreSQL server, or a plantui
file on a shared drive) in a new file, with every history entry, meeting and measure value keeping
its uid (`plantui.domain.uids`), and a `replica_state` row saying where the upstream is and how far
the two agree (the marks). On the replica everything works as on any file.

`sync` then runs two transactions, the replica's (held from start to end, so no change slips in
meanwhile) around the upstream's:
1. On the upstream: the replica's meetings, its entries after its mark (in the order it made them)
   and its measure values are inserted, each only if its uid is not there yet (so a repeat, or a
   sync after one killed half-way, adds nothing), with every link translated (an action by its ref,
   an undo, a step, a redo and a meeting by uid). The upstream's ids put them after everything the
   upstream already held: its order is the order. Each touched field of each action is set to what
   the last entry in that order says (`_settle`). Where the upstream also holds entries since the
   replica's mark, by others, on the same field of the same action, both stay, the replica's (the
   later) stands, and the pair is recorded in `sync_conflict` for someone to review.
2. On the replica: its entries after its mark are replaced by the upstream's entries after the mark,
   in the upstream's order (they hold the replica's own, with the same uids), the touched fields are
   settled the same way, and the marks move to the upstream's newest ids. If nothing came from
   anyone else, the replica's rows already stand in that order and stay as they are.
Afterwards the replica's history, action by action, is the upstream's, so both export the same plan.

Measure values are carried the same way (the newest value of a period stands). Meeting rows are
merged by uid (an end recorded on one side is taken by the other); conflicts and their review are
carried by uid too. Measure definitions and links travel by their own history, field by field
(`plantui.store.sync_measures`). Update rounds, their returns and the reviews they hold are carried
by `plantui.store.sync_rounds`, which also leaves one meeting and one round open where each side
opened its own offline. Saved views and leads' people travel as the plan's log
(`plantui.store.sync_plan_log`), its rows carried by uid in the same two transactions, the last row
in the upstream's order standing. An action added on one side only stops the sync with one line
(plantui adds actions only by loading a whole plan, which makes a new plan).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from plantui.domain.action_text import decode_leads, field_words
from plantui.domain.errors import InputError, NotFoundError, PlantuiError, StoreError
from plantui.domain.evidence import EVIDENCE_FIELD, IMPACT_FIELD, impact_value
from plantui.domain.milestones import due_from_label
from plantui.store import sync_measures
from plantui.store import tables as T
from plantui.store.changes import Edit, TextChange, change_step, refresh_summaries
from plantui.store.clock import utcnow
from plantui.store.database import Database
from plantui.store.location import scrub_url
from plantui.store.plans import current_plan_id, fill_new_file, read_document, write_copy
from plantui.store.sync_plan_log import LogCopy, LogSync, waiting_log_rows
from plantui.store.sync_rounds import (
    carry_down,
    carry_up,
    ended_words,
    merge_rounds,
    read_rounds,
    restore_return_steps,
    return_steps,
)
from plantui.store.sync_rows import CHUNK, action_ids_by_ref, ids_of
from plantui.store.watch import notify_change

# Fields of an entry that hold one value each: two copies changing one of them between syncs is a
# conflict. Notes add to each other, and so does evidence of impact (each piece stands on its own).
NOT_CONFLICTING = frozenset({"note", EVIDENCE_FIELD})
# An action's columns that an entry can never set, whatever its field is called.
_FIXED_COLUMNS = frozenset({"id", "plan_id", "objective_id", "ref", "position", "updated_at", "last_note"})


# --- what is carried: entries, meetings, values, conflicts, as plain values ---------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """A history row as every copy of the plan knows it: links by uid, its action by ref."""

    uid: str
    ref: str
    at: datetime
    author: str
    field: str
    old: str | None
    new: str | None
    note: str
    undoes: str | None
    group: str | None
    redoes: str | None
    meeting: str | None
    origin: str  # the uid of the store that made it ("" where that is not known)


@dataclass(frozen=True, slots=True)
class _Meeting:
    uid: str
    title: str
    scope: str
    started_at: datetime
    ended_at: datetime | None
    recorded_by: str


@dataclass(frozen=True, slots=True)
class _Value:
    uid: str
    measure: str  # its ref
    period: str
    value: float
    note: str
    at: datetime
    author: str
    origin: str


@dataclass(frozen=True, slots=True)
class _Conflict:
    uid: str
    ref: str
    field: str
    replaced_uid: str
    standing_uid: str
    found_at: datetime
    reviewed_at: datetime | None
    reviewed_by: str
    outcome: str


def _read_entries(conn: Connection, plan_id: int, *, after: int) -> list[Entry]:
    """The plan's history rows with an id above `after`, in id order."""
    h, a = T.history, T.action
    undone, group, redone = T.history.alias("undone"), T.history.alias("first"), T.history.alias("redone")
    m = T.meeting
    rows = conn.execute(
        select(
            h.c.uid,
            a.c.ref,
            h.c.at,
            h.c.author,
            h.c.field,
            h.c.old,
            h.c.new,
            h.c.note,
            undone.c.uid,
            group.c.uid,
            redone.c.uid,
            m.c.uid,
            h.c.origin,
        )
        .join(a, a.c.id == h.c.action_id)
        .outerjoin(undone, undone.c.id == h.c.undoes_id)
        .outerjoin(group, group.c.id == h.c.group_id)
        .outerjoin(redone, redone.c.id == h.c.redoes_id)
        .outerjoin(m, m.c.id == h.c.meeting_id)
        .where(a.c.plan_id == plan_id, h.c.id > after)
        .order_by(h.c.id)
    ).all()
    return [Entry(*row) for row in rows]


def _read_meetings(conn: Connection, plan_id: int) -> list[_Meeting]:
    m = T.meeting
    rows = conn.execute(
        select(m.c.uid, m.c.title, m.c.scope, m.c.started_at, m.c.ended_at, m.c.recorded_by)
        .where(m.c.plan_id == plan_id)
        .order_by(m.c.id)
    ).all()
    return [_Meeting(*row) for row in rows]


def _read_values(conn: Connection, plan_id: int, *, after: int) -> list[_Value]:
    v, m = T.measure_value, T.measure
    rows = conn.execute(
        select(v.c.uid, m.c.ref, v.c.period, v.c.value, v.c.note, v.c.at, v.c.author, v.c.origin)
        .join(m, m.c.id == v.c.measure_id)
        .where(m.c.plan_id == plan_id, v.c.id > after)
        .order_by(v.c.id)
    ).all()
    return [_Value(*row) for row in rows]


def _read_conflicts(conn: Connection, plan_id: int) -> list[_Conflict]:
    c, a = T.sync_conflict, T.action
    rows = conn.execute(
        select(
            c.c.uid,
            a.c.ref,
            c.c.field,
            c.c.replaced_uid,
            c.c.standing_uid,
            c.c.found_at,
            c.c.reviewed_at,
            c.c.reviewed_by,
            c.c.outcome,
        )
        .join(a, a.c.id == c.c.action_id)
        .where(a.c.plan_id == plan_id)
        .order_by(c.c.id)
    ).all()
    return [_Conflict(*row) for row in rows]


# --- writing what was read on the other side ---------------------------------------------------------


def _merge_meetings(conn: Connection, plan_id: int, meetings: Sequence[_Meeting]) -> int:
    """Add the meetings this side lacks, and take an end the other side recorded; returns how many
    were added."""
    m = T.meeting
    held = {
        row.uid: row
        for row in conn.execute(select(m.c.uid, m.c.id, m.c.ended_at).where(m.c.plan_id == plan_id))
    }
    added = 0
    for meeting in meetings:
        here = held.get(meeting.uid)
        if here is None:
            conn.execute(
                insert(T.meeting).values(
                    plan_id=plan_id,
                    uid=meeting.uid,
                    title=meeting.title,
                    scope=meeting.scope,
                    started_at=meeting.started_at,
                    ended_at=meeting.ended_at,
                    recorded_by=meeting.recorded_by,
                )
            )
            added += 1
        elif here.ended_at is None and meeting.ended_at is not None:
            conn.execute(update(m).where(m.c.id == here.id).values(ended_at=meeting.ended_at))
    return added


def _insert_entries(conn: Connection, plan_id: int, entries: Sequence[Entry], where: str) -> list[Entry]:
    """Insert, in the order given, the entries this side does not hold yet; returns those inserted.

    One executemany for the rows, then one for their links (an undo, a step, a redo name rows by id,
    known only once the rows are in)."""
    held = ids_of(conn, T.history, (entry.uid for entry in entries))
    new = [entry for entry in entries if entry.uid not in held]
    if not new:
        return []
    actions = action_ids_by_ref(conn, plan_id)
    meetings = ids_of(conn, T.meeting, {e.meeting for e in new if e.meeting is not None})
    rows = []
    for entry in new:
        action_id = actions.get(entry.ref)
        if action_id is None:
            raise StoreError(
                f"action {entry.ref} is not in {where}: it was added or removed on one side only; "
                "nothing was synced"
            )
        meeting_id = None
        if entry.meeting is not None:
            meeting_id = meetings.get(entry.meeting)
            if meeting_id is None:
                raise StoreError(f"meeting {entry.meeting} is not in {where}; nothing was synced")
        rows.append(
            {
                "uid": entry.uid,
                "action_id": action_id,
                "at": entry.at,
                "author": entry.author,
                "field": entry.field,
                "old": entry.old,
                "new": entry.new,
                "note": entry.note,
                "undoes_id": None,
                "group_id": None,
                "redoes_id": None,
                "meeting_id": meeting_id,
                "origin": entry.origin,
            }
        )
    conn.execute(insert(T.history), rows)
    linked = {uid for e in new for uid in (e.undoes, e.group, e.redoes) if uid is not None}
    ids = ids_of(conn, T.history, linked | {e.uid for e in new})

    def link(entry: Entry, uid: str | None, what: str) -> int | None:
        if uid is None:
            return None
        if uid not in ids:
            raise StoreError(
                f"history entry {entry.uid} of action {entry.ref} names {what} {uid}, which {where} "
                "does not hold; nothing was synced"
            )
        return ids[uid]

    links = [
        {
            "row_id": ids[e.uid],
            "undoes": link(e, e.undoes, "the undone entry"),
            "first": link(e, e.group, "the step"),
            "redoes": link(e, e.redoes, "the undo"),
        }
        for e in new
        if e.undoes is not None or e.group is not None or e.redoes is not None
    ]
    if links:
        h = T.history
        conn.execute(
            update(h)
            .where(h.c.id == bindparam("row_id"))
            .values(
                undoes_id=bindparam("undoes"), group_id=bindparam("first"), redoes_id=bindparam("redoes")
            ),
            links,
        )
    notify_change(conn, max(ids[e.uid] for e in new))
    return new


def _insert_values(conn: Connection, plan_id: int, values: Sequence[_Value], where: str) -> list[_Value]:
    held = ids_of(conn, T.measure_value, (value.uid for value in values))
    new = [value for value in values if value.uid not in held]
    if not new:
        return []
    m = T.measure
    measures = dict(conn.execute(select(m.c.ref, m.c.id).where(m.c.plan_id == plan_id)).all())
    for value in new:
        measure_id = measures.get(value.measure)
        if measure_id is None:
            raise StoreError(
                f"measure {value.measure} is not in {where}: add it there first; nothing was synced"
            )
        conn.execute(
            insert(T.measure_value).values(
                uid=value.uid,
                measure_id=measure_id,
                period=value.period,
                value=value.value,
                note=value.note,
                at=value.at,
                author=value.author,
                origin=value.origin,
            )
        )
    return new


def _merge_conflicts(conn: Connection, plan_id: int, conflicts: Sequence[_Conflict]) -> None:
    """Add the conflicts this side lacks, and take a review the other side recorded."""
    c = T.sync_conflict
    held = {row.uid: row for row in conn.execute(select(c.c.uid, c.c.id, c.c.reviewed_at))}
    actions = action_ids_by_ref(conn, plan_id)
    for conflict in conflicts:
        here = held.get(conflict.uid)
        if here is None:
            action_id = actions.get(conflict.ref)
            if action_id is None:
                continue  # its action is gone on this side: nothing left to review
            conn.execute(
                insert(c).values(
                    uid=conflict.uid,
                    action_id=action_id,
                    field=conflict.field,
                    replaced_uid=conflict.replaced_uid,
                    standing_uid=conflict.standing_uid,
                    found_at=conflict.found_at,
                    reviewed_at=conflict.reviewed_at,
                    reviewed_by=conflict.reviewed_by,
                    outcome=conflict.outcome,
                )
            )
        elif here.reviewed_at is None and conflict.reviewed_at is not None:
            conn.execute(
                update(c)
                .where(c.c.id == here.id)
                .values(
                    reviewed_at=conflict.reviewed_at,
                    reviewed_by=conflict.reviewed_by,
                    outcome=conflict.outcome,
                )
            )


def _settle(conn: Connection, plan_id: int, touched: Iterable[tuple[str, str]]) -> None:
    """Make each touched field of each action what the last entry for it (in id order) says, and the
    action's summary (last change, last note) what its history says, as the change path keeps them.
    A statement per field and a few per chunk of actions, not per action: a sync may touch thousands."""
    actions = action_ids_by_ref(conn, plan_id)
    wanted = {(actions[ref], field) for ref, field in touched if ref in actions}
    action_ids = sorted({action_id for action_id, _ in wanted})
    h = T.history
    last: dict[tuple[int, str], str | None] = {}
    first_milestone: dict[int, tuple[str | None, str | None]] = {}
    for start in range(0, len(action_ids), CHUNK):
        chunk = action_ids[start : start + CHUNK]
        newest = select(func.max(h.c.id)).where(h.c.action_id.in_(chunk)).group_by(h.c.action_id, h.c.field)
        for action_id, field, new in conn.execute(
            select(h.c.action_id, h.c.field, h.c.new).where(h.c.id.in_(newest))
        ):
            last[(action_id, field)] = new
        oldest = (
            select(func.min(h.c.id))
            .where(h.c.action_id.in_(chunk), h.c.field == "milestone")
            .group_by(h.c.action_id)
        )
        for action_id, old, new in conn.execute(
            select(h.c.action_id, h.c.old, h.c.new).where(h.c.id.in_(oldest))
        ):
            first_milestone[action_id] = (old, new)
    by_field: dict[str, list[tuple[int, str | None]]] = {}
    for action_id, field in sorted(wanted):
        if field not in NOT_CONFLICTING and (action_id, field) in last:
            by_field.setdefault(field, []).append((action_id, last[(action_id, field)]))
    for field, values in by_field.items():
        _set_field(conn, field, values, first_milestone)
    refresh_summaries(conn, action_ids)


def _set_field(
    conn: Connection,
    field: str,
    values: Sequence[tuple[int, str | None]],
    first_milestone: dict[int, tuple[str | None, str | None]],
) -> None:
    """Set one field of these actions as the change path would have left it."""
    from plantui.store.leads import replace_leads

    a = T.action
    if field == "leads":
        for action_id, value in values:
            replace_leads(conn, action_id, decode_leads(value or "[]"))
        return
    if field == "milestone":
        baselines = dict(
            conn.execute(select(a.c.id, a.c.baseline).where(a.c.id.in_([i for i, _ in values]))).all()
        )
        rows = []
        for action_id, value in values:
            label = value or ""
            row = {"row_id": action_id, "label": label, "due": due_from_label(label)}
            # The first milestone set on an action with none becomes its baseline (`changes`): the first
            # entry in the agreed order decides it, on every side alike.
            old, new = first_milestone.get(action_id, (None, None))
            baseline = baselines.get(action_id, "")
            if not old and new:
                baseline = new
            row.update(baseline=baseline, baseline_due=due_from_label(baseline))
            rows.append(row)
        conn.execute(
            update(a)
            .where(a.c.id == bindparam("row_id"))
            .values(
                milestone=bindparam("label"),
                due=bindparam("due"),
                baseline=bindparam("baseline"),
                baseline_due=bindparam("baseline_due"),
            ),
            rows,
        )
        return
    if field == IMPACT_FIELD:  # kept as a flag; its entries say "yes" or "no"
        conn.execute(
            update(a).where(a.c.id == bindparam("row_id")).values(impact=bindparam("value")),
            [{"row_id": action_id, "value": impact_value(value)} for action_id, value in values],
        )
        return
    if field in a.c and field not in _FIXED_COLUMNS:
        conn.execute(
            update(a).where(a.c.id == bindparam("row_id")).values({field: bindparam("value")}),
            [
                {"row_id": action_id, "value": value if value is not None else ""}
                for action_id, value in values
            ],
        )
    # Any other field (evidence, say) lives in the history alone.


def _touched(entries: Iterable[Entry]) -> set[tuple[str, str]]:
    return {(entry.ref, entry.field) for entry in entries}


# --- a replica's state ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReplicaState:
    upstream: str  # as given: a path, or a URL (which may hold a password: show `upstream_display`)
    plan_uid: str
    upstream_history: int
    local_history: int
    upstream_values: int
    local_values: int
    checked_out_at: datetime
    synced_at: datetime | None

    @property
    def upstream_display(self) -> str:
        return scrub_url(self.upstream) if "://" in self.upstream else self.upstream


@dataclass(frozen=True, slots=True)
class ReplicaSummary:
    """What the workbench's header and `plantui sync --dry-run` say about a replica."""

    state: ReplicaState
    waiting: int  # entries, values and measure changes made here since the last sync
    to_review: int  # conflicts not reviewed yet


def _state(conn: Connection) -> ReplicaState | None:
    r = T.replica_state
    row = conn.execute(
        select(
            r.c.upstream,
            r.c.plan_uid,
            r.c.upstream_history,
            r.c.local_history,
            r.c.upstream_values,
            r.c.local_values,
            r.c.checked_out_at,
            r.c.synced_at,
        )
        .order_by(r.c.id)
        .limit(1)
    ).one_or_none()
    return ReplicaState(*row) if row is not None else None


def replica_summary(database: Database) -> ReplicaSummary | None:
    """The replica's upstream, marks and what waits to be sent; None when the store is no replica."""
    with database.read() as conn:
        state = _state(conn)
        if state is None:
            return None
        waiting = conn.execute(
            select(func.count()).select_from(T.history).where(T.history.c.id > state.local_history)
        ).scalar_one()
        waiting += conn.execute(
            select(func.count()).select_from(T.measure_value).where(T.measure_value.c.id > state.local_values)
        ).scalar_one()
        waiting += waiting_log_rows(conn)  # the plan's log: saved views, leads' people
        waiting += sync_measures.waiting_changes(conn)
        to_review = conn.execute(
            select(func.count()).select_from(T.sync_conflict).where(T.sync_conflict.c.reviewed_at.is_(None))
        ).scalar_one()
    return ReplicaSummary(state, waiting, to_review)


def replica_state(database: Database) -> ReplicaState:
    """The replica's state, or one line saying the store is no replica."""
    with database.read() as conn:
        state = _state(conn)
    if state is None:
        raise InputError(
            f"{database.display} is not a replica: make one with plantui checkout --from UPSTREAM -o FILE"
        )
    return state


def _plan_uid(conn: Connection, plan_id: int) -> str:
    return conn.execute(select(T.plan.c.uid).where(T.plan.c.id == plan_id)).scalar_one()


def _marks(conn: Connection, plan_id: int) -> tuple[int, int]:
    """The newest history and measure value ids of the plan (0 when none)."""
    h, v = T.history, T.measure_value
    history = conn.execute(
        select(func.coalesce(func.max(h.c.id), 0)).where(
            h.c.action_id.in_(select(T.action.c.id).where(T.action.c.plan_id == plan_id))
        )
    ).scalar_one()
    values = conn.execute(
        select(func.coalesce(func.max(v.c.id), 0)).where(
            v.c.measure_id.in_(select(T.measure.c.id).where(T.measure.c.plan_id == plan_id))
        )
    ).scalar_one()
    return history, values


# --- checkout --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Checkout:
    actions: int
    entries: int
    upstream: str  # shown without secrets


def checkout(upstream: Database, upstream_text: str, path: Path) -> Checkout:
    """Make a new file at `path` a replica of `upstream`'s plan (whole or not at all)."""
    if upstream.location.path is not None and upstream.location.path.resolve() == path.absolute().resolve():
        raise InputError(f"-o names the upstream itself ({upstream.display}): name a new file")
    # Read under the upstream's write lock: on a server, a change committed part-way through the read
    # would otherwise be in one read and not in the next.
    with upstream.write() as conn:
        plan_id = current_plan_id(conn, upstream)
        document = read_document(conn, upstream)
        plan_uid = _plan_uid(conn, plan_id)
        entries = _read_entries(conn, plan_id, after=0)
        meetings = _read_meetings(conn, plan_id)
        values = _read_values(conn, plan_id, after=0)
        conflicts = _read_conflicts(conn, plan_id)
        rounds = read_rounds(conn, plan_id)  # not in the plan's document: copied on their own
        upstream_history, upstream_values = _marks(conn, plan_id)
        plan_log = LogCopy.read(conn, plan_id)  # saved views, leads' people
        measure_history = sync_measures.read_for_checkout(conn, plan_id)

    def fill(replica: Database) -> None:
        write_copy(document, replica, source_display=upstream.display)
        with replica.write() as conn:
            local_plan = current_plan_id(conn, replica)
            conn.execute(update(T.plan).where(T.plan.c.id == local_plan).values(uid=plan_uid))
            _give_uids(conn, local_plan, entries, meetings, values)
            _merge_conflicts(conn, local_plan, conflicts)
            merge_rounds(conn, local_plan, *rounds, replica.display, theirs_stand=True)
            local_history, local_values = _marks(conn, local_plan)
            conn.execute(
                insert(T.replica_state).values(
                    upstream=upstream_text,
                    plan_uid=plan_uid,
                    upstream_history=upstream_history,
                    local_history=local_history,
                    upstream_values=upstream_values,
                    local_values=local_values,
                    checked_out_at=utcnow(),
                    synced_at=utcnow(),
                )
            )
            plan_log.fill(conn, local_plan)
            sync_measures.keep_checkout_uids(conn, local_plan, measure_history)

    fill_new_file(path, fill)
    return Checkout(sum(1 for _ in document.actions()), len(entries), upstream.display)


def _give_uids(
    conn: Connection,
    plan_id: int,
    entries: Sequence[Entry],
    meetings: Sequence[_Meeting],
    values: Sequence[_Value],
) -> None:
    """The copy's rows take the upstream's uids: entries action by action and values measure by measure
    in the order of their ids (the copy keeps that order), meetings in the plan file's order."""
    h, a = T.history, T.action
    by_ref: dict[str, list[tuple[str, str]]] = {}
    for entry in entries:
        by_ref.setdefault(entry.ref, []).append((entry.uid, entry.origin))
    rows = conn.execute(
        select(h.c.id, a.c.ref)
        .join(a, a.c.id == h.c.action_id)
        .where(a.c.plan_id == plan_id)
        .order_by(h.c.id)
    ).all()
    _renumber(conn, h, rows, by_ref)
    m = T.meeting
    ordered = sorted(meetings, key=lambda meeting: meeting.started_at)  # as the plan file lists them
    ids = (
        conn.execute(select(m.c.id).where(m.c.plan_id == plan_id).order_by(m.c.started_at, m.c.id))
        .scalars()
        .all()
    )
    if len(ids) != len(ordered):
        raise StoreError("the replica's meetings did not come out as the upstream's; nothing was written")
    if ids:
        conn.execute(
            update(m).where(m.c.id == bindparam("row_id")).values(uid=bindparam("new_uid")),
            [{"row_id": i, "new_uid": meeting.uid} for i, meeting in zip(ids, ordered, strict=True)],
        )
    v, ms = T.measure_value, T.measure
    by_measure: dict[str, list[tuple[str, str]]] = {}
    for value in values:
        by_measure.setdefault(value.measure, []).append((value.uid, value.origin))
    rows = conn.execute(
        select(v.c.id, ms.c.ref)
        .join(ms, ms.c.id == v.c.measure_id)
        .where(ms.c.plan_id == plan_id)
        .order_by(v.c.id)
    ).all()
    _renumber(conn, v, rows, by_measure)


def _renumber(
    conn: Connection, table, rows: Sequence, uids_by_owner: dict[str, list[tuple[str, str]]]
) -> None:
    """Give the copy's rows (id, owner) the upstream's (uid, origin), owner by owner in id order."""
    taken: dict[str, int] = {}
    changes = []
    for row_id, owner in rows:
        position = taken.get(owner, 0)
        taken[owner] = position + 1
        try:
            uid, origin = uids_by_owner[owner][position]
            changes.append({"row_id": row_id, "new_uid": uid, "new_origin": origin})
        except (KeyError, IndexError):
            raise StoreError(
                f"the replica's {table.name} of {owner} did not come out as the upstream's"
            ) from None
    if any(len(uids) != taken.get(owner, 0) for owner, uids in uids_by_owner.items()):
        raise StoreError(
            f"the replica's {table.name} did not come out as the upstream's; nothing was written"
        )
    if changes:
        conn.execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(uid=bindparam("new_uid"), origin=bindparam("new_origin")),
            changes,
        )


# --- sync --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SyncResult:
    sent: int  # entries, values and measure changes the upstream took from the replica
    received: int  # entries, values and measure changes the replica took from others
    conflicts: int  # fields both sides changed, found in this sync
    meetings: int  # meetings added on either side
    dry_run: bool = False
    # Update rounds (`sync_rounds`): rounds and returns added on either side, and the meetings and
    # rounds left open on both sides that the sync ended (all but the one started last).
    rounds: int = 0
    ended_meetings: int = 0
    ended_rounds: int = 0

    @property
    def in_step(self) -> bool:
        """Nothing moved either way: the two were already in step."""
        return not (
            self.sent
            or self.received
            or self.meetings
            or self.rounds
            or self.ended_meetings
            or self.ended_rounds
        )

    def words(self, review: str) -> str:
        """What the sync did (or, on a dry run, would do), as `plantui sync` and the workbench say it:
        `sent 1 change, brought down 3; carried 1 meeting; 1 field changed on both sides: REVIEW`."""
        from plantui.domain.wording import plural

        carried = []  # besides changes: what the two sides took from each other whole
        if self.meetings:
            carried.append(plural(self.meetings, "meeting"))
        if self.rounds:
            carried.append(plural(self.rounds, "update round or return", "update rounds and returns"))
        if self.dry_run:
            said = f"would send {plural(self.sent, 'change')} and bring down {self.received}"
            if carried:
                said += f"; it would carry {' and '.join(carried)}"
        elif self.in_step:
            return "already in step with the upstream, nothing to send or bring down"
        else:
            said = f"sent {plural(self.sent, 'change')}, brought down {self.received}"
            if carried:
                said += f"; carried {' and '.join(carried)}"
        if self.conflicts:
            said += f"; {plural(self.conflicts, 'field')} changed on both sides: {review}"
        ended = ended_words(self.ended_meetings, self.ended_rounds, dry_run=self.dry_run)
        return f"{said}; {ended}" if ended else said


class _DryRun(PlantuiError):
    def __init__(self, result: SyncResult) -> None:
        super().__init__("dry run")
        self.result = result


def sync(replica: Database, upstream: Database, *, dry_run: bool = False) -> SyncResult:
    """Send the replica's new entries up and bring the upstream's down (see the module's docstring).

    With `dry_run`, both transactions are rolled back: the result says what a sync would do."""
    try:
        return _sync(replica, upstream, dry_run=dry_run)
    except _DryRun as finished:
        return finished.result


def sync_with_upstream(database: Database, *, dry_run: bool = False) -> SyncResult:
    """Open the replica's upstream and sync with it: what `plantui sync` and the workbench both call.

    An upstream that cannot be opened (a server not answering, a shared drive not there) is one line
    and changes nothing, nor does an upstream at another schema revision."""
    from plantui.store.opening import open_database
    from plantui.store.revisions import HEAD_REVISION
    from plantui.store.schema import current_revision

    state = replica_state(database)
    try:
        upstream = open_database(state.upstream, create=False, migrate=False, daily_backup=False)
    except PlantuiError as error:  # not there, not answering, not a plan store
        said = str(error)
        if state.upstream_display not in said:
            said = f"{state.upstream_display}: {said}"
        raise StoreError(
            f"cannot reach the upstream: {said}; nothing was synced, work goes on offline"
        ) from None
    try:
        revision = current_revision(upstream)
        if revision != HEAD_REVISION:
            raise StoreError(
                f"the upstream {upstream.display} is at schema {revision} and {database.display} at "
                f"{HEAD_REVISION}: bring both to the same plantui first; nothing was synced"
            )
        return sync(database, upstream, dry_run=dry_run)
    finally:
        upstream.close()


def _sync(replica: Database, upstream: Database, *, dry_run: bool) -> SyncResult:
    where = upstream.display
    with replica.write() as local:
        state = _state(local)
        if state is None:
            raise InputError(f"{replica.display} is not a replica: make one with plantui checkout")
        local_plan = current_plan_id(local, replica)
        if _plan_uid(local, local_plan) != state.plan_uid:
            raise InputError(
                f"{replica.display} no longer holds the plan it was checked out with (it was replaced): "
                "check out a new replica; nothing was synced"
            )
        marks = [state.upstream_history, state.local_history, state.upstream_values, state.local_values]
        conflicts = _read_conflicts(local, local_plan)
        meetings = _read_meetings(local, local_plan)
        plan_log = LogSync.start(local, local_plan)  # saved views, leads' people
        with upstream.write() as remote:
            remote_plan = current_plan_id(remote, upstream)
            if _plan_uid(remote, remote_plan) != state.plan_uid:
                raise InputError(
                    f"{where} holds another plan than the one {replica.display} was checked out from: "
                    "a replica syncs only with its own plan; nothing was synced"
                )
            # The upstream's history must still continue from the last sync: the entry both sides
            # agreed on last must be where it was. After a restore of the upstream from an older copy
            # it is not, and the whole history is compared instead (by uid: nothing is taken twice).
            for table, at in ((T.history, 0), (T.measure_value, 2)):
                if not _same_row(local, remote, table, marks[at + 1], marks[at]):
                    marks[at] = marks[at + 1] = 0
            tail = _read_entries(local, local_plan, after=marks[1])
            values_tail = _read_values(local, local_plan, after=marks[3])
            added_up = _merge_meetings(remote, remote_plan, meetings)
            mine = {entry.uid for entry in tail}
            theirs = [
                entry for entry in _read_entries(remote, remote_plan, after=marks[0]) if entry.uid not in mine
            ]
            sent = _insert_entries(remote, remote_plan, tail, where)
            found = _record_conflicts(remote, remote_plan, sent, theirs)
            _settle(remote, remote_plan, _touched(sent))
            # Measure definitions (and new measures) before values: a value needs its measure.
            measures = sync_measures.send_up(local, local_plan, remote, remote_plan, where)
            sent_values = _insert_values(remote, remote_plan, values_tail, where)
            _merge_conflicts(remote, remote_plan, conflicts)
            carried = carry_up(local, local_plan, remote, remote_plan, where)  # update rounds; one open
            plan_log.send(local, local_plan, remote, remote_plan)
            pulled = _read_entries(remote, remote_plan, after=marks[0])
            pulled_values = _read_values(remote, remote_plan, after=marks[2])
            all_meetings = _read_meetings(remote, remote_plan)
            all_conflicts = _read_conflicts(remote, remote_plan)
            upstream_history, upstream_values = _marks(remote, remote_plan)
            held_values = {value.uid for value in values_tail}
            result = SyncResult(
                sent=len(sent) + len(sent_values) + measures.sent,
                received=len(theirs)
                + sum(1 for value in pulled_values if value.uid not in held_values)
                + measures.received,
                conflicts=found,
                meetings=added_up,
                dry_run=dry_run,
                rounds=carried.added + carried.to_add,
                ended_meetings=carried.ended_meetings,
                ended_rounds=carried.ended_rounds,
            )
            result = plan_log.counted(result)
            if dry_run:
                raise _DryRun(result)
        added_down = _merge_meetings(local, local_plan, all_meetings)
        sync_measures.bring_down(local, local_plan, measures, replica.display)
        if [entry.uid for entry in pulled] != [entry.uid for entry in tail]:
            _rewrite_tail(local, local_plan, marks[1], pulled, tail, replica.display)
        if [value.uid for value in pulled_values] != [value.uid for value in values_tail]:
            v = T.measure_value
            local.execute(delete(v).where(v.c.id > marks[3]))
            _insert_values(local, local_plan, pulled_values, replica.display)
        _merge_conflicts(local, local_plan, all_conflicts)
        carry_down(local, local_plan, carried, replica.display)
        plan_log.bring_down(local, local_plan)
        local_history, local_values = _marks(local, local_plan)
        local.execute(
            update(T.replica_state).values(
                upstream_history=upstream_history,
                local_history=local_history,
                upstream_values=upstream_values,
                local_values=local_values,
                synced_at=utcnow(),
            )
        )
    return replace(result, meetings=added_up + added_down, dry_run=False)


def _same_row(local: Connection, remote: Connection, table, local_id: int, remote_id: int) -> bool:
    """Whether the row at `local_id` here and the one at `remote_id` there are the same entry (both
    absent, at a mark of 0, counts as the same)."""
    here = local.execute(select(table.c.uid).where(table.c.id == local_id)).scalar() if local_id else None
    there = remote.execute(select(table.c.uid).where(table.c.id == remote_id)).scalar() if remote_id else None
    return here == there


def _rewrite_tail(
    conn: Connection, plan_id: int, mark: int, pulled: Sequence[Entry], tail: Sequence[Entry], where: str
) -> None:
    """Put the replica's history after its mark in the upstream's order: its own entries go, and come
    back (same uids) among everyone's, as the upstream holds them."""
    h = T.history
    steps = return_steps(conn, plan_id)  # update rounds' returns name their steps by id: kept by uid
    if tail:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # deleting rows other rows may point at: without these, a scan of history per row
            conn.exec_driver_sql("CREATE INDEX sync_rewrite_undoes ON history (undoes_id)")
            conn.exec_driver_sql("CREATE INDEX sync_rewrite_redoes ON history (redoes_id)")
        conn.execute(delete(h).where(h.c.id > mark))
        if sqlite:
            conn.exec_driver_sql("DROP INDEX sync_rewrite_undoes")
            conn.exec_driver_sql("DROP INDEX sync_rewrite_redoes")
    _insert_entries(conn, plan_id, pulled, where)
    restore_return_steps(conn, steps)
    _settle(conn, plan_id, _touched(tail) | _touched(pulled))


def _record_conflicts(conn: Connection, plan_id: int, sent: Sequence[Entry], theirs: Sequence[Entry]) -> int:
    """A conflict for each field of an action both the sent entries and others' entries since the
    replica's mark changed: the others' last entry is replaced by the replica's last, which stands."""
    if not sent or not theirs:
        return 0
    last_theirs = {(e.ref, e.field): e for e in theirs if e.field not in NOT_CONFLICTING}
    last_mine = {(e.ref, e.field): e for e in sent if e.field not in NOT_CONFLICTING}
    actions = action_ids_by_ref(conn, plan_id)
    found = 0
    now = utcnow()
    for key in sorted(last_mine.keys() & last_theirs.keys()):
        ref, field = key
        conn.execute(
            insert(T.sync_conflict).values(
                action_id=actions[ref],
                field=field,
                replaced_uid=last_theirs[key].uid,
                standing_uid=last_mine[key].uid,
                found_at=now,
                reviewed_by="",
                outcome="",
            )
        )
        found += 1
    return found


# --- conflicts ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConflictView:
    """A conflict as a person reviews it: the action and field, the value replaced and the one that
    stands, who made each and when."""

    ref: str
    title: str
    field: str
    replaced: str | None
    replaced_by: str
    replaced_at: datetime
    standing: str | None
    standing_by: str
    standing_at: datetime
    found_at: datetime
    reviewed_at: datetime | None
    reviewed_by: str
    outcome: str

    @property
    def field_words(self) -> str:
        return field_words(self.field)


def list_conflicts(database: Database, *, all_of_them: bool = False) -> list[ConflictView]:
    """The conflicts to review (with `all_of_them`, the reviewed ones too), oldest first."""
    c, a = T.sync_conflict, T.action
    replaced, standing = T.history.alias("replaced"), T.history.alias("standing")
    query = (
        select(
            a.c.ref,
            a.c.title,
            c.c.field,
            replaced.c.new,
            replaced.c.author,
            replaced.c.at,
            standing.c.new,
            standing.c.author,
            standing.c.at,
            c.c.found_at,
            c.c.reviewed_at,
            c.c.reviewed_by,
            c.c.outcome,
        )
        .join(a, a.c.id == c.c.action_id)
        .join(replaced, replaced.c.uid == c.c.replaced_uid)
        .join(standing, standing.c.uid == c.c.standing_uid)
        .order_by(c.c.found_at, c.c.id)
    )
    if not all_of_them:
        query = query.where(c.c.reviewed_at.is_(None))
    with database.read() as conn:
        return [ConflictView(*row) for row in conn.execute(query)]


def review_conflict(database: Database, ref: str, field: str, *, reapply: bool, author: str) -> int:
    """Close the conflicts to review on `field` of action `ref`: keep what stands, or (`reapply`) set
    the field back to the replaced value as a new change, through the change path, in the same
    transaction. Returns how many conflicts were closed."""

    c, a = T.sync_conflict, T.action
    with change_step(database, author=author) as writer:
        conn = writer.conn
        plan_id = current_plan_id(conn, database)
        rows = conn.execute(
            select(c.c.id, c.c.replaced_uid)
            .join(a, a.c.id == c.c.action_id)
            .where(a.c.plan_id == plan_id, a.c.ref == ref, c.c.field == field, c.c.reviewed_at.is_(None))
            .order_by(c.c.id)
        ).all()
        if not rows:
            raise NotFoundError(f"no conflict to review on the {field_words(field)} of {ref}")
        if reapply:
            value = conn.execute(
                select(T.history.c.new).where(T.history.c.uid == rows[-1].replaced_uid)
            ).scalar()
            if field == "status":
                edit = Edit(ref, status=value)
            elif field == "milestone":
                edit = Edit(ref, milestone=value or "")
            elif field == "leads":
                edit = Edit(ref, texts=(TextChange(field, tuple(decode_leads(value or "[]"))),))
            elif field in ("title", "success_measures", "detailed_plan"):
                edit = Edit(ref, texts=(TextChange(field, value or ""),))
            else:
                raise InputError(
                    f"the {field_words(field)} of {ref} cannot be re-applied from here: change it by hand, "
                    "then keep what stands"
                )
            writer.edit(edit)
        conn.execute(
            update(c)
            .where(c.c.id.in_([row.id for row in rows]))
            .values(reviewed_at=utcnow(), reviewed_by=author, outcome="reapplied" if reapply else "kept")
        )
        return len(rows)
