"""The plan as it stood at a past moment, and the changes made since one.

Both come from the append-only history, in the order its rows were committed (their ids), never by
the clock: the history as at a moment is every row up to the newest one stamped before it, so a clock
that ran fast for a while and was put right moves nothing but the times shown. The plan as at a
moment is the plan as it is now with every later row reversed, newest first: a status row puts back its `old`
status, a milestone row its `old` label (and the due date that label implies), a title, success
measures, detailed plan or leads row its `old` text (the leads as the list it holds), an impact row
its `old` mark, and an evidence row takes its evidence away (an undo of one puts it back). Undo rows are
ordinary rows whose `old` is the value they replaced, so they reverse the same way. The last note and
"updated" time are those of the history before the moment.

A day (a `date`) means the end of that day in local time; a `datetime` is a moment (naive ones are
UTC, like the stored history). "Since" a day means from the start of that day; since
`"last-meeting"` means from the start of the most recently started board meeting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Connection, func, select

from plantui.domain.action_text import TEXT_FIELDS, decode_leads
from plantui.domain.document import PlanDocument
from plantui.domain.errors import InputError, NotFoundError, StoreError
from plantui.domain.evidence import EVIDENCE_FIELD, IMPACT_FIELD, impact_value
from plantui.domain.milestones import due_from_label
from plantui.domain.movement import Move, net_moves
from plantui.domain.views import ActionRow, HistoryEntry, Meeting
from plantui.store import tables as T
from plantui.store.clock import to_utc_naive
from plantui.store.database import Database
from plantui.store.plans import current_plan_id, read_document, read_measures
from plantui.store.queries import (
    action_by_ref,
    actions_of_plan,
    check_status,
    history_entry,
    history_select,
    list_actions,
)

LAST_MEETING = "last-meeting"


def start_of_day(day: date) -> datetime:
    """Local midnight at the start of `day`, as a stored (naive UTC) moment; UTC midnight for a day
    with no local time (one near year 1 or 9999, or before 1970 on Windows)."""
    midnight = datetime.combine(day, time())
    try:
        return to_utc_naive(midnight.astimezone())
    except (OverflowError, ValueError, OSError):
        return midnight


def end_of_day(day: date) -> datetime:
    """Local midnight at the end of `day` (the start of the next), as a stored moment."""
    if day == date.max:
        return datetime.max
    return start_of_day(day + timedelta(days=1))


def _moment(when: date | datetime, *, day_end: bool) -> datetime:
    if isinstance(when, datetime):
        return to_utc_naive(when)
    return end_of_day(when) if day_end else start_of_day(when)


def plan_as_at(database: Database, when: date | datetime) -> list[ActionRow]:
    """Every action, in plan order, with its status, milestone and due date as they stood at the end
    of day `when` (or at the moment `when`), reconstructed from the history."""
    return actions_at(database, _moment(when, day_end=True))


def _last_id_before(conn: Connection, plan_id: int, moment: datetime) -> int:
    """The id of the newest history row stamped before `moment` (0 when none is): the history as at
    `moment` is every row up to it, in commit order, whatever the clock said of the rows between."""
    h = T.history
    return conn.execute(
        select(func.coalesce(func.max(h.c.id), 0))
        .join(T.action, T.action.c.id == h.c.action_id)
        .where(T.action.c.plan_id == plan_id, h.c.at < moment)
    ).scalar_one()


def last_history_id_at(conn: Connection, plan_id: int, when: date | datetime) -> int:
    """The id of the newest history row of the plan as at the end of day `when` (or the moment)."""
    return _last_id_before(conn, plan_id, _moment(when, day_end=True))


def action_history_at(database: Database, ref: str, when: date) -> list[HistoryEntry]:
    """One action's history as it stood at the end of day `when`, newest first (its evidence then)."""
    with database.read() as conn:
        action = action_by_ref(conn, database, ref)
        cutoff = last_history_id_at(conn, current_plan_id(conn, database), when)
        rows = conn.execute(
            history_select().where(T.history.c.action_id == action.id, T.history.c.id <= cutoff)
        ).all()
    return [history_entry(row) for row in rows]


def actions_at(database: Database, moment: datetime | None) -> list[ActionRow]:
    """Every action as it stood at `moment` (stored UTC); `None` means as it is now."""
    if moment is None:
        return list_actions(database)
    h = T.history
    with database.read() as conn:  # the plan and its history from one snapshot
        plan_id = current_plan_id(conn, database)
        current = actions_of_plan(conn, plan_id)
        cutoff = _last_id_before(conn, plan_id, moment)
        later = conn.execute(
            select(h.c.action_id, h.c.field, h.c.old, h.c.new)
            .join(T.action, T.action.c.id == h.c.action_id)
            .where(T.action.c.plan_id == plan_id, h.c.id > cutoff)
            .order_by(h.c.id.desc())
        ).all()
        if not later:
            return current
        touched = {row.action_id for row in later}
        earlier = conn.execute(
            select(h.c.id, h.c.action_id, h.c.at, h.c.note, h.c.undoes_id)
            .where(h.c.action_id.in_(touched), h.c.id <= cutoff)
            .order_by(h.c.id)
        ).all()
    by_id = {row.id: row for row in current}
    for change in later:
        row = by_id[change.action_id]
        if change.field == "status" and change.old is not None:
            check_status(change.old, f"action {row.ref} in its history")
            row = row._replace(status=change.old)
        elif change.field == "milestone":
            label = change.old or ""
            row = row._replace(milestone=label, due=due_from_label(label))
            if not label and row.baseline == (change.new or ""):
                row = row._replace(baseline="", baseline_due=None)  # the baseline came with this change
        elif change.field in TEXT_FIELDS:
            row = row._replace(**_text_before(change.field, change.old, row.ref))
        elif change.field == IMPACT_FIELD:
            row = row._replace(impact=impact_value(change.old))
        elif change.field == EVIDENCE_FIELD:  # an addition (or redo) taken away, or an undo of one put back
            row = row._replace(evidence=row.evidence + (-1 if change.new is not None else 1))
        by_id[change.action_id] = row
    undone = {row.undoes_id for row in earlier if row.undoes_id is not None}
    updated: dict[int, datetime] = {}
    notes: dict[int, str] = {}
    for row in earlier:
        updated[row.action_id] = max(updated.get(row.action_id, row.at), row.at)
        if row.note and row.undoes_id is None and row.id not in undone:
            notes[row.action_id] = row.note
    for action_id in touched:
        by_id[action_id] = by_id[action_id]._replace(
            updated_at=updated.get(action_id), last_note=notes.get(action_id, by_id[action_id].commentary)
        )
    return [by_id[row.id] for row in current]


def _text_before(field: str, old: str | None, ref: str) -> dict[str, object]:
    """The action's text before a change to `field` that replaced `old`."""
    if field != "leads":
        return {field: old or ""}
    try:
        return {"leads": decode_leads(old)}
    except ValueError:
        raise StoreError(
            f"action {ref} has leads in its history that are not a list of names: "
            "restore a backup or correct the database"
        ) from None


def statuses_at(database: Database, moments: list[datetime | None]) -> list[dict[str, str]]:
    """Each action's status by ref at each of `moments` (stored UTC; None: now), as `actions_at`
    rebuilds it but status alone: one read of the statuses and of the status history after the
    earliest moment, walked back once, so many moments (a trend) cost about one."""
    h, a = T.history, T.action
    with database.read() as conn:
        plan_id = current_plan_id(conn, database)
        current = conn.execute(select(a.c.id, a.c.ref, a.c.status).where(a.c.plan_id == plan_id)).all()
        cutoffs = [None if m is None else _last_id_before(conn, plan_id, m) for m in moments]
        earliest = min((c for c in cutoffs if c is not None), default=None)
        later = []
        if earliest is not None:
            later = conn.execute(
                select(h.c.id, h.c.action_id, h.c.old)
                .join(a, a.c.id == h.c.action_id)
                .where(a.c.plan_id == plan_id, h.c.id > earliest, h.c.field == "status")
                .order_by(h.c.id.desc())
            ).all()
    ref_of = {row.id: row.ref for row in current}
    status = {row.id: row.status for row in current}
    results: list[dict[str, str]] = [{} for _ in moments]
    # now (None) first, then the latest cutoff to the earliest, undoing the history as it goes
    newest_first = sorted(range(len(moments)), key=lambda i: (cutoffs[i] is not None, -(cutoffs[i] or 0)))
    step = 0
    for index in newest_first:
        cutoff = cutoffs[index]
        while cutoff is not None and step < len(later) and later[step].id > cutoff:
            change = later[step]
            if change.old is not None:
                check_status(change.old, f"action {ref_of[change.action_id]} in its history")
                status[change.action_id] = change.old
            step += 1
        results[index] = {ref_of[action_id]: code for action_id, code in status.items()}
    return results


@dataclass(frozen=True, slots=True)
class Since:
    """A resolved `--since`: the moment, how to say it, and the meeting it came from (if any)."""

    moment: datetime  # stored UTC
    label: str  # e.g. "since 2022-10-01" or "since the last meeting, 'October Board' (2022-10-05)"
    meeting: Meeting | None = None


def resolve_since(database: Database, since: date | datetime | str) -> Since:
    """`since` as a moment: a day (from its start), a moment, an ISO date text, or "last-meeting"."""
    if isinstance(since, str):
        text = since.strip().lower()
        if text in {LAST_MEETING, "last_meeting", "last"}:
            from plantui.store.meetings import last_meeting

            meeting = last_meeting(database)
            if meeting is None:
                raise NotFoundError(
                    "no board meeting has been recorded yet: give --since a date (YYYY-MM-DD)"
                )
            return Since(
                meeting.started_at,
                f"since the last meeting, {meeting.name!r} ({meeting.started_at:%Y-%m-%d})",
                meeting,
            )
        try:
            since = date.fromisoformat(text)
        except ValueError:
            raise InputError(f"--since {since!r}: write a date (YYYY-MM-DD) or {LAST_MEETING}") from None
    if isinstance(since, datetime):
        return Since(to_utc_naive(since), f"since {since:%Y-%m-%d %H:%M}")
    return Since(start_of_day(since), f"since {since.isoformat()}")


def changes_since(
    database: Database, since: date | datetime | str | Since, *, until: datetime | None = None
) -> list[HistoryEntry]:
    """Every change to the plan made at or after `since` (and before `until`), in the order made.

    Each entry carries the action's ref and title, and the meeting it was made in, if any.
    """
    moment = since.moment if isinstance(since, Since) else resolve_since(database, since).moment
    with database.read() as conn:
        plan_id = current_plan_id(conn, database)
        query = (
            history_select()
            .where(T.action.c.plan_id == plan_id, T.history.c.id > _last_id_before(conn, plan_id, moment))
            .order_by(None)
            .order_by(T.history.c.id)
        )
        if until is not None:
            query = query.where(T.history.c.id <= _last_id_before(conn, plan_id, until))
        rows = conn.execute(query).all()
    return [history_entry(row) for row in rows]


@dataclass(frozen=True, slots=True)
class Movement:
    """The plan at two moments and the actions whose status moved between them."""

    before: list[ActionRow]
    after: list[ActionRow]
    moves: list[Move]


def movement_between(
    database: Database,
    since: datetime,
    until: datetime | None = None,
    *,
    after: list[ActionRow] | None = None,
) -> Movement:
    """Net status moves between `since` and `until` (now when None), both stored UTC moments.

    `after` saves rebuilding the plan at `until` when the caller already has it."""
    before = actions_at(database, since)
    if after is None:
        after = actions_at(database, until)
    moves = net_moves(
        {row.ref: row.status for row in before},
        {row.ref: row.status for row in after},
        {row.ref: row.title for row in after},
    )
    return Movement(before, after, moves)


def document_as_at(database: Database, when: date | datetime) -> PlanDocument:
    """The whole plan as a document as it stood at the end of day `when`: statuses, milestones, due
    dates, titles, texts and leads as they were, and only the history and measure values recorded
    before then."""
    moment = _moment(when, day_end=True)
    h = T.history
    with database.read() as conn:  # the document and the rows it keeps from one snapshot
        document = read_document(conn, database)
        plan_id = current_plan_id(conn, database)
        kept = dict(
            conn.execute(
                select(T.action.c.ref, func.count())
                .join(T.action, T.action.c.id == h.c.action_id)
                .where(T.action.c.plan_id == plan_id, h.c.id <= _last_id_before(conn, plan_id, moment))
                .group_by(T.action.c.ref)
            ).all()
        )
        # Measure values are append-only too: as at the moment, each period's value is the newest
        # recorded before it (a later correction is not yet there).
        document.measures = read_measures(conn, plan_id, before=moment)
    then = {row.ref: row for row in actions_at(database, moment)}
    for action in document.actions():
        row = then[action.ref]
        action.rag, action.milestone, action.due = row.status, row.milestone, row.due
        action.title, action.success_measures, action.detailed_plan = (
            row.title,
            row.success_measures,
            row.detailed_plan,
        )
        action.leads = list(row.leads)
        action.baseline, action.baseline_due = row.baseline, row.baseline_due
        action.impact = row.impact
        # Entries are in commit order and an undo only points back, so cutting the tail keeps `undoes` valid.
        action.history = action.history[: kept.get(action.ref, 0)]
    return document
