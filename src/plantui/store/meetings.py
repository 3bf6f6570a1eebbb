"""Improvement Board meetings: start one, record changes in it, end it with a summary, list them.

The open meeting is state in the database, not in a program: it is the one meeting whose `ended_at`
is NULL. Starting a meeting while one is open is refused, so there is never more than one, and any
window or command (`plantui set` from a second terminal, the TUI's meeting mode) can find it with
`open_meeting()`. Every change made while it is open is recorded in it: `store.changes.apply_change`
reads it in the change's own transaction and stores its id on the history rows. Ending it stamps
`ended_at`; its changes are the history rows that carry its id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, insert, select, update

from plantui.domain.errors import InputError, NotFoundError
from plantui.domain.movement import Move
from plantui.domain.refs import sort_key
from plantui.domain.scopes import parse_scope
from plantui.domain.views import HistoryEntry, Meeting
from plantui.store import tables as T
from plantui.store.clock import to_utc_naive, utcnow
from plantui.store.database import Database
from plantui.store.plans import current_plan_id
from plantui.store.queries import history_entry, history_select, nodes


@dataclass(frozen=True, slots=True)
class MeetingSummary:
    """What a meeting did: every change in the order made, and each action's net move of status."""

    meeting: Meeting
    changes: tuple[HistoryEntry, ...]  # oldest first; undo rows included
    undone: frozenset[int]  # ids of changes in this meeting that a later row undid
    moves: tuple[Move, ...]  # net status moves, in ref order (a move undone in the meeting is none)

    @property
    def status_changes(self) -> int:
        return sum(1 for entry in self.changes if entry.field == "status" and entry.undoes_id is None)

    @property
    def notes(self) -> int:
        return sum(1 for entry in self.changes if entry.note and entry.undoes_id is None)

    @property
    def decisions(self) -> tuple[HistoryEntry, ...]:
        """The changes that stand, oldest first: what the minutes record. A change undone since is no
        decision, and neither is the undo row itself; an undo of an undo (the change made again)
        stands for the change it brings back."""
        undo_rows = {entry.id for entry in self.changes if entry.undoes_id is not None}
        return tuple(
            entry
            for entry in self.changes
            if entry.id not in self.undone and (entry.undoes_id is None or entry.undoes_id in undo_rows)
        )


def _meeting(row) -> Meeting:
    return Meeting(row.id, row.title, row.scope, row.started_at, row.ended_at, row.recorded_by)


def _meeting_select(plan_id: int):
    m = T.meeting
    return (
        select(m.c.id, m.c.title, m.c.scope, m.c.started_at, m.c.ended_at, m.c.recorded_by)
        .where(m.c.plan_id == plan_id)
        .order_by(m.c.started_at.desc(), m.c.id.desc())
    )


def meeting_open_in(conn: Connection, plan_id: int) -> Meeting | None:
    """The meeting in progress, read inside the caller's transaction (a change records into it)."""
    return _open(conn, plan_id)


def _open(conn: Connection, plan_id: int) -> Meeting | None:
    row = conn.execute(_meeting_select(plan_id).where(T.meeting.c.ended_at.is_(None)).limit(1)).one_or_none()
    return _meeting(row) if row is not None else None


def open_meeting(database: Database) -> Meeting | None:
    """The meeting in progress, if there is one."""
    with database.read() as conn:
        return _open(conn, current_plan_id(conn, database))


def start_meeting(
    database: Database,
    title: str = "",
    scope: str = "plan",
    *,
    author: str,
    at: datetime | None = None,
) -> Meeting:
    """Open a meeting over `scope` ("plan", "theme:4", "area:1.2", "filter:EXPR").

    Refused while another meeting is open, and for a scope ref that names nothing in the plan.
    """
    who = (author or "").strip()
    if not who:
        raise InputError("author: say who is recording the meeting (--author NAME)")
    chosen = parse_scope(scope)
    if chosen.kind not in {"plan", "filter"}:
        known = {node.ref for node in nodes(database)}
        if chosen.kind != "action" and chosen.value not in known:
            raise NotFoundError(f"scope {chosen.text}: there is no {chosen.kind} {chosen.value} in the plan")
    moment = to_utc_naive(at) if at is not None else utcnow()
    clean_title = " ".join(title.split())
    with database.write() as conn:
        plan_id = current_plan_id(conn, database)
        already = _open(conn, plan_id)
        if already is not None:
            raise InputError(
                f"meeting {already.name!r} (started {already.started_at:%Y-%m-%d %H:%M} UTC) is still open: "
                "end it first (plantui meeting end)"
            )
        meeting_id = conn.execute(
            insert(T.meeting).values(
                plan_id=plan_id,
                title=clean_title,
                scope=chosen.text,
                started_at=moment,
                ended_at=None,
                recorded_by=who,
            )
        ).inserted_primary_key[0]
    return Meeting(meeting_id, clean_title, chosen.text, moment, None, who)


def end_meeting(
    database: Database, *, at: datetime | None = None, meeting_id: int | None = None
) -> MeetingSummary:
    """End the open meeting (or the one with `meeting_id`) and return what was done in it."""
    moment = to_utc_naive(at) if at is not None else utcnow()
    with database.write() as conn:
        plan_id = current_plan_id(conn, database)
        if meeting_id is None:
            meeting = _open(conn, plan_id)
            if meeting is None:
                raise NotFoundError("no meeting is open: start one with `plantui meeting start`")
        else:
            meeting = _by_id(conn, plan_id, meeting_id)
            if not meeting.is_open:
                raise InputError(f"meeting {meeting.id} ({meeting.name!r}) has already ended")
        conn.execute(update(T.meeting).where(T.meeting.c.id == meeting.id).values(ended_at=moment))
        ended = Meeting(
            meeting.id, meeting.title, meeting.scope, meeting.started_at, moment, meeting.recorded_by
        )
        return _summary(conn, ended)


def _by_id(conn: Connection, plan_id: int, meeting_id: int) -> Meeting:
    row = conn.execute(_meeting_select(plan_id).where(T.meeting.c.id == meeting_id)).one_or_none()
    if row is None:
        raise NotFoundError(f"there is no meeting {meeting_id}")
    return _meeting(row)


def _summary(conn: Connection, meeting: Meeting) -> MeetingSummary:
    rows = conn.execute(
        history_select().where(T.history.c.meeting_id == meeting.id).order_by(None).order_by(T.history.c.id)
    ).all()
    changes = tuple(history_entry(row) for row in rows)
    undone = frozenset(
        conn.execute(
            select(T.history.c.undoes_id).where(T.history.c.undoes_id.in_([entry.id for entry in changes]))
        ).scalars()
    )
    first: dict[str, str] = {}
    last: dict[str, str] = {}
    titles: dict[str, str] = {}
    for entry in changes:
        if entry.field != "status" or entry.old is None or entry.new is None:
            continue
        first.setdefault(entry.action_ref, entry.old)
        last[entry.action_ref] = entry.new
        titles[entry.action_ref] = entry.action_title
    moves = tuple(
        sorted(
            (Move(ref, titles[ref], first[ref], new) for ref, new in last.items() if first[ref] != new),
            key=lambda move: sort_key(move.ref),
        )
    )
    return MeetingSummary(meeting, changes, undone, moves)


def meeting_summary(database: Database, meeting_id: int) -> MeetingSummary:
    """What was done in a meeting, ended or still open."""
    with database.read() as conn:
        return _summary(conn, _by_id(conn, current_plan_id(conn, database), meeting_id))


def list_meetings(database: Database) -> list[Meeting]:
    """Every meeting, newest first."""
    with database.read() as conn:
        rows = conn.execute(_meeting_select(current_plan_id(conn, database))).all()
    return [_meeting(row) for row in rows]


def last_meeting(database: Database) -> Meeting | None:
    """The most recently started meeting (the open one, while a meeting is in progress)."""
    with database.read() as conn:
        row = conn.execute(_meeting_select(current_plan_id(conn, database)).limit(1)).one_or_none()
    return _meeting(row) if row is not None else None


def change_counts(database: Database) -> dict[int, int]:
    """How many history rows each meeting holds, by meeting id (for listings)."""
    with database.read() as conn:
        plan_id = current_plan_id(conn, database)
        return dict(
            conn.execute(
                select(T.history.c.meeting_id, func.count())
                .join(T.meeting, T.meeting.c.id == T.history.c.meeting_id)
                .where(T.meeting.c.plan_id == plan_id)
                .group_by(T.history.c.meeting_id)
            ).all()
        )
