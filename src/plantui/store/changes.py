"""Changing the plan: one entry, `apply_change`, and one policy for every change a person makes.

A request is an `Edit` (any of the status, the milestone and a note of one action), an `Undo` or a
`Redo`. `apply_change` runs it as one write transaction that writes the change and its history rows
together, under one policy, whoever asks (the workbench's keys, its editor, its meeting screen, the
CLI):
- the history rows of one request are one step (`history.group_id`): one editor save is one undo;
- what the caller saw (`Edit.expected_status`, `Edit.expected_milestone`) is checked, and a value
  someone changed since is reported (`Superseded`): the change still applies, both stay in history;
- while a board meeting is open, the change is recorded in it (`history.meeting_id`);
- undo takes back the caller's own newest step, never a colleague's; it refuses (`UndoNeedsConfirming`,
  nothing written) when anyone else changed a field of that step since, or when the step was made in
  a board meeting that has ended, unless the caller confirms (`Undo(force=True)`);
- redo records the caller's last undone step again (`history.redoes_id` names the undo it reverses);
  any new change by the caller clears what they can redo.
History is append-only: undo and redo add rows. Order is the order of ids (of commits), never the
clock. `set_status`, `set_milestone`, `add_note`, `change_action`, `undo_step` and `redo_step` build
a request and call `apply_change`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import Connection, func, insert, or_, select, text, update

from plantui.domain.errors import InputError, NotFoundError, PlantuiError
from plantui.domain.milestones import Milestone, due_from_label, parse_milestone
from plantui.domain.statuses import status
from plantui.domain.views import ActionRow, HistoryEntry, Meeting
from plantui.store import tables as T
from plantui.store.clock import local_text, to_utc_naive, utcnow
from plantui.store.database import Database
from plantui.store.meetings import meeting_open_in
from plantui.store.plans import current_plan_id
from plantui.store.queries import action_by_ref, check_status
from plantui.store.watch import notify_change

CHECKED_FIELDS = ("status", "milestone")  # notes add to each other: a later note conflicts with nothing


# --- what a caller asks for --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Edit:
    """A change to one action: its status, its milestone and/or a note, saved as one step.

    `expected_status` and `expected_milestone` are what the caller last saw (None: not said)."""

    ref: str
    status: str | None = None
    milestone: str | None = None
    note: str = ""
    expected_status: str | None = None
    expected_milestone: str | None = None


@dataclass(frozen=True, slots=True)
class Undo:
    """Take back the caller's own newest step. `force` undoes it even when someone changed it since or
    its meeting has ended; `step` insists on the step the caller was asked about (its group id)."""

    force: bool = False
    step: int | None = None


@dataclass(frozen=True, slots=True)
class Redo:
    """Record the caller's last undone step again."""


ChangeRequest = Edit | Undo | Redo


# --- what a change reports back ----------------------------------------------------------------------


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
class ChangesResult:
    """What one request did: the action as it now stands, the history rows written (one step)."""

    action: ActionRow  # the action as it stands after the change
    entries: tuple[HistoryEntry, ...]  # in the order written; empty when nothing needed to change
    before: ActionRow
    superseded: tuple[Superseded, ...] = ()  # fields that were not what the caller expected
    kind: str = "edit"  # "edit", "undo" or "redo"
    meeting: Meeting | None = None  # the open board meeting the change was recorded in

    @property
    def entry(self) -> HistoryEntry | None:
        """The first row written (the only one, for most changes)."""
        return self.entries[0] if self.entries else None


@dataclass(frozen=True, slots=True)
class ChangeResult:
    """One field's change, as `set_status`, `set_milestone` and `add_note` report it."""

    action: ActionRow  # the action as it stands after the change
    entry: HistoryEntry | None  # None when nothing needed to change
    before: ActionRow | None = None  # the action before the change, for counts that move
    superseded: Superseded | None = None  # set when the action was not as the caller expected

    @property
    def entries(self) -> tuple[HistoryEntry, ...]:
        """The entries written, as `ChangesResult` gives them: none, or the one."""
        return () if self.entry is None else (self.entry,)


@dataclass(frozen=True, slots=True)
class Conflict:
    """Why an undo waits for the caller to confirm: a later change to a field of the step, or a step
    made in a meeting that has ended."""

    ref: str
    field: str  # "status", "milestone", or "meeting"
    old: str | None = None
    new: str | None = None
    by: str | None = None  # None: the value is not what the step left, and the history does not say why
    at: datetime | None = None
    history_id: int | None = None

    def describe(self, show: Callable[[str], str] = str) -> str:
        """One clause; `show` renders a status (a milestone is shown as written)."""
        if self.field != "status":
            show = str
        if self.field == "meeting":
            return f"your change to {self.ref} was made in the board meeting {self.new}"
        if self.by is None:
            return f"the {self.field} of {self.ref} is now {show(self.new or '')}, not what your change left"
        when = local_text(self.at) if self.at is not None else "?"
        return (
            f"{self.by} changed the {self.field} of {self.ref} from {show(self.old or '')} to "
            f"{show(self.new or '')} at {when} (history #{self.history_id})"
        )


class UndoNeedsConfirming(PlantuiError):
    """The caller's newest step was changed by someone since, or made in a meeting that has ended:
    nothing was written. Confirming is `Undo(force=True, step=error.step)`."""

    def __init__(self, step: int, conflicts: Sequence[Conflict]) -> None:
        self.step = step
        self.conflicts = tuple(conflicts)
        super().__init__(self.describe())

    def describe(self, show: Callable[[str], str] = str) -> str:
        reasons = "; ".join(conflict.describe(show) for conflict in self.conflicts)
        return f"not undone: {reasons}. Nothing was changed"


@dataclass
class _Step:
    """Writes the history rows of one request: the first row starts the step, the others join it."""

    conn: Connection
    author: str
    at: datetime | None
    meeting_id: int | None
    first_id: int | None = None
    entries: list[HistoryEntry] = field(default_factory=list)

    def record(
        self,
        action: ActionRow,
        *,
        field: str,
        old: str | None,
        new: str | None,
        note: str,
        undoes_id: int | None = None,
        redoes_id: int | None = None,
    ) -> HistoryEntry:
        conn = self.conn
        moment = to_utc_naive(self.at) if self.at is not None else _now(conn)
        history_id = conn.execute(
            insert(T.history).values(
                action_id=action.id,
                at=moment,
                author=self.author,
                field=field,
                old=old,
                new=new,
                note=note,
                undoes_id=undoes_id,
                meeting_id=self.meeting_id,
                group_id=self.first_id,
                redoes_id=redoes_id,
            )
        ).inserted_primary_key[0]
        if self.first_id is None:
            self.first_id = history_id
        entry = HistoryEntry(
            history_id, action.ref, moment, self.author, field, old, new, note, undoes_id, self.meeting_id,
            action.title,
        )  # fmt: skip
        if undoes_id is None:
            conn.execute(
                update(T.action).where(T.action.c.id == action.id).values(**_summary_after(action, entry))
            )
        else:
            _refresh_summary(conn, action.id)
        notify_change(conn, history_id)
        self.entries.append(entry)
        return entry


# --- the one entry ------------------------------------------------------------------------------------


def apply_change(
    database: Database, request: ChangeRequest, *, author: str, at: datetime | None = None
) -> ChangesResult:
    """Make one change under the policy in this module's docstring, in one write transaction.

    A bad status or an unreadable milestone is refused before anything is opened for writing.
    """
    who = _author(author)
    prepared = _prepared(request) if isinstance(request, Edit) else None
    with database.write() as conn:
        plan_id = current_plan_id(conn, database)
        meeting = meeting_open_in(conn, plan_id)
        step = _Step(conn, who, at, meeting.id if meeting is not None else None)
        if prepared is not None:
            result = _edit(conn, database, step, prepared)
        elif isinstance(request, Undo):
            result = _undo(conn, database, plan_id, step, request)
        else:
            result = _redo(conn, database, plan_id, step)
        return replace(result, meeting=meeting if result.entries else None)


class StepWriter:
    """Edits made one after another inside one write transaction, all one undo step (`change_step`)."""

    def __init__(self, conn: Connection, database: Database, step: _Step, meeting: Meeting | None) -> None:
        self.conn = conn
        self._database = database
        self._step = step
        self._meeting = meeting

    @property
    def step_id(self) -> int | None:
        """The step's first history row (its undo step), once anything is written."""
        return self._step.first_id

    def edit(self, request: Edit) -> ChangesResult:
        result = _edit(self.conn, self._database, self._step, _prepared(request))
        return replace(result, meeting=self._meeting if result.entries else None)


@contextmanager
def change_step(database: Database, *, author: str, at: datetime | None = None) -> Iterator[StepWriter]:
    """One write transaction in which the caller makes several edits as one undo step (a lead's return:
    one file, one step), under the same policy as `apply_change`, and may read and record its own rows
    with `writer.conn`. An exception leaves nothing written."""
    who = _author(author)
    with database.write() as conn:
        plan_id = current_plan_id(conn, database)
        meeting = meeting_open_in(conn, plan_id)
        yield StepWriter(
            conn, database, _Step(conn, who, at, meeting.id if meeting is not None else None), meeting
        )


def _author(author: str) -> str:
    name = (author or "").strip()
    if not name:
        raise InputError("author: say who is making the change (--author NAME)")
    return name


def _now(conn: Connection) -> datetime:
    """Now, in naive UTC. On a server, the server's clock: one clock for everyone sharing the plan.
    Only shown: the order of changes is the order of their ids."""
    if conn.dialect.name == "postgresql":
        return conn.execute(text("SELECT clock_timestamp() AT TIME ZONE 'UTC'")).scalar_one()
    return utcnow()


# --- edits --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _PreparedEdit:
    ref: str
    code: str | None
    milestone: tuple[Milestone, str] | None
    note: str
    expected_status: str | None
    expected_milestone: str | None


def _prepared(edit: Edit) -> _PreparedEdit:
    if edit.status is not None:
        status(edit.status)  # refuses an unknown code before anything is opened for writing
    if edit.expected_status is not None:
        status(edit.expected_status)
    moved = None
    if edit.milestone is not None:
        moved = (parse_milestone(edit.milestone), " ".join(edit.milestone.split()))
    seen = None if edit.expected_milestone is None else " ".join(edit.expected_milestone.split())
    return _PreparedEdit(edit.ref, edit.status, moved, edit.note.strip(), edit.expected_status, seen)


def _edit(conn: Connection, database: Database, step: _Step, edit: _PreparedEdit) -> ChangesResult:
    before = action_by_ref(conn, database, edit.ref)
    superseded: list[Superseded] = []
    if edit.code is not None:
        found = _superseded(conn, before, "status", edit.expected_status, before.status, chosen=edit.code)
        if found is not None:
            superseded.append(found)
    if edit.milestone is not None:
        label = edit.milestone[1]
        now = " ".join(before.milestone.split())
        found = _superseded(conn, before, "milestone", edit.expected_milestone, now, chosen=label)
        if found is not None:
            superseded.append(found)
    after = _write_changes(step, before, code=edit.code, milestone=edit.milestone, note=edit.note)
    return ChangesResult(after, tuple(step.entries), before, tuple(superseded))


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


def _write_changes(
    step: _Step,
    before: ActionRow,
    *,
    code: str | None = None,
    milestone: tuple[Milestone, str] | None = None,
    note: str,
) -> ActionRow:
    """Write what differs from `before`: the status, then the milestone (its parsed form and label),
    each with its own history row carrying the note; with nothing to change, the note on its own.

    Returns the action as it now stands, worked out from the rows rather than read back.
    """
    current = before
    written = len(step.entries)
    if code is not None and code != current.status:
        step.conn.execute(update(T.action).where(T.action.c.id == current.id).values(status=code))
        entry = step.record(current, field="status", old=current.status, new=code, note=note)
        current = _after(current, entry, status=code)
    if milestone is not None and milestone[1] != current.milestone:
        parsed, label = milestone
        changed = _milestone_values(current, parsed, label)
        step.conn.execute(update(T.action).where(T.action.c.id == current.id).values(**changed))
        entry = step.record(current, field="milestone", old=current.milestone, new=label, note=note)
        current = _after(current, entry, **changed)
    if len(step.entries) == written and note:
        entry = step.record(current, field="note", old=None, new=None, note=note)
        current = _after(current, entry)
    return current


def _milestone_values(before: ActionRow, milestone: Milestone, label: str) -> dict[str, object]:
    """The action's columns that moving its milestone to `label` changes; the first one is the baseline."""
    values: dict[str, object] = {"milestone": label, "due": milestone.due}
    if not before.baseline:
        values.update(baseline=label, baseline_due=milestone.due)
    return values


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


# --- undo ---------------------------------------------------------------------------------------------


def _step_rows(conn: Connection, step_id: int) -> list:
    """The rows of one step, oldest first, with their action's ref."""
    h = T.history
    return conn.execute(
        select(
            h.c.id, h.c.action_id, h.c.field, h.c.old, h.c.new, h.c.note, h.c.meeting_id, h.c.undoes_id,
            T.action.c.ref,
        )
        .join(T.action, T.action.c.id == h.c.action_id)
        .where(or_(h.c.id == step_id, h.c.group_id == step_id))
        .order_by(h.c.id)
    ).all()  # fmt: skip


def _undo(conn: Connection, database: Database, plan_id: int, step: _Step, request: Undo) -> ChangesResult:
    h = T.history
    undone = select(h.c.undoes_id).where(h.c.undoes_id.is_not(None))
    newest = conn.execute(
        select(h.c.id, h.c.group_id)
        .join(T.action, T.action.c.id == h.c.action_id)
        .where(
            T.action.c.plan_id == plan_id,
            h.c.author == step.author,
            h.c.undoes_id.is_(None),
            h.c.id.not_in(undone),
        )
        .order_by(h.c.id.desc())
        .limit(1)
    ).one_or_none()
    if newest is None:
        raise NotFoundError(f"{step.author} has no change left to undo")
    step_id = newest.group_id if newest.group_id is not None else newest.id
    if request.step is not None and request.step != step_id:
        raise InputError("your newest change is no longer the one you confirmed: nothing was undone")
    undone_ids = set(conn.execute(undone.where(h.c.undoes_id >= step_id)).scalars())
    rows = [row for row in _step_rows(conn, step_id) if row.id not in undone_ids]
    if not request.force:
        conflicts = _conflicts(conn, database, rows, step)
        if conflicts:
            raise UndoNeedsConfirming(step_id, conflicts)
    before = action_by_ref(conn, database, rows[0].ref)
    current: dict[str, ActionRow] = {}
    for row in reversed(rows):  # newest first, so each field ends as it was before the step
        action = current.get(row.ref) or action_by_ref(conn, database, row.ref)
        if row.field == "status":
            check_status(row.old, f"action {row.ref} in history #{row.id}")
            conn.execute(update(T.action).where(T.action.c.id == action.id).values(status=row.old))
            step.record(action, field="status", old=action.status, new=row.old, note="", undoes_id=row.id)
        elif row.field == "milestone":
            label = row.old or ""
            conn.execute(
                update(T.action)
                .where(T.action.c.id == action.id)
                .values(milestone=label, due=due_from_label(label))
            )
            step.record(action, field="milestone", old=action.milestone, new=label, note="", undoes_id=row.id)
        else:
            step.record(action, field="note", old=None, new=None, note="", undoes_id=row.id)
        current[row.ref] = action_by_ref(conn, database, row.ref)
    return ChangesResult(current[rows[0].ref], tuple(step.entries), before, kind="undo")


def _conflicts(conn: Connection, database: Database, rows: Sequence, step: _Step) -> list[Conflict]:
    """What stands in the way of undoing `rows` (one step) without asking: a later change by someone
    else to one of its fields (a change and its own undo cancel out), a field that no longer holds
    what the step left, or a meeting it was made in that has ended."""
    h = T.history
    conflicts: list[Conflict] = []
    last_id = max(row.id for row in rows)
    for row in rows:
        if row.field not in CHECKED_FIELDS:
            continue
        later = conn.execute(
            select(h.c.id, h.c.author, h.c.at, h.c.old, h.c.new, h.c.undoes_id)
            .where(h.c.action_id == row.action_id, h.c.field == row.field, h.c.id > last_id)
            .order_by(h.c.id)
        ).all()
        later_ids = {change.id for change in later}
        cancelled = {change.undoes_id for change in later if change.undoes_id in later_ids}
        others = [
            change
            for change in later
            if change.author != step.author
            and change.id not in cancelled
            and change.undoes_id not in later_ids
        ]
        for change in others:
            conflicts.append(
                Conflict(row.ref, row.field, change.old, change.new, change.author, change.at, change.id)
            )
        if not others:
            action = action_by_ref(conn, database, row.ref)
            now = action.status if row.field == "status" else action.milestone
            if " ".join(now.split()) != " ".join((row.new or "").split()):
                conflicts.append(Conflict(row.ref, row.field, row.new, now))
    meeting_ids = {row.meeting_id for row in rows if row.meeting_id is not None}
    if meeting_ids:
        m = T.meeting
        for meeting in conn.execute(
            select(m.c.id, m.c.title, m.c.ended_at).where(m.c.id.in_(meeting_ids), m.c.ended_at.is_not(None))
        ):
            name = repr(meeting.title or f"meeting {meeting.id}")
            ended = f"{name}, which ended at {local_text(meeting.ended_at)}"
            conflicts.append(Conflict(rows[0].ref, "meeting", new=ended))
    return conflicts


# --- redo ---------------------------------------------------------------------------------------------


def _redo(conn: Connection, database: Database, plan_id: int, step: _Step) -> ChangesResult:
    h = T.history
    of_plan = h.c.action_id.in_(select(T.action.c.id).where(T.action.c.plan_id == plan_id))
    # A new change of one's own (not an undo, not a redo) clears what one can redo.
    newest_change = conn.execute(
        select(func.coalesce(func.max(h.c.id), 0)).where(
            of_plan, h.c.author == step.author, h.c.undoes_id.is_(None), h.c.redoes_id.is_(None)
        )
    ).scalar_one()
    undos = conn.execute(
        select(h.c.id, h.c.group_id, h.c.undoes_id)
        .where(of_plan, h.c.author == step.author, h.c.undoes_id.is_not(None), h.c.id > newest_change)
        .order_by(h.c.id.desc())
    ).all()
    redone = set(
        conn.execute(select(h.c.redoes_id).where(h.c.redoes_id.in_([undo.id for undo in undos]))).scalars()
    )
    steps: dict[int, list] = {}
    for undo in undos:
        steps.setdefault(undo.group_id if undo.group_id is not None else undo.id, []).append(undo)
    waiting = [
        (step_id, members)
        for step_id, members in steps.items()
        if not any(member.id in redone for member in members)
    ]
    if not waiting:
        raise NotFoundError(f"{step.author} has nothing to redo")
    _, members = max(waiting, key=lambda item: item[0])
    undo_of = {member.undoes_id: member.id for member in members}
    targets = conn.execute(
        select(h.c.id, h.c.field, h.c.new, h.c.note, T.action.c.ref)
        .join(T.action, T.action.c.id == h.c.action_id)
        .where(h.c.id.in_(list(undo_of)))
        .order_by(h.c.id)
    ).all()
    undo_rows = {
        row.id: row for row in conn.execute(select(h.c.id, h.c.new).where(h.c.id.in_(list(undo_of.values()))))
    }
    before = action_by_ref(conn, database, targets[0].ref)
    superseded: list[Superseded] = []
    current: dict[str, ActionRow] = {}
    for target in targets:  # oldest first, as they were made
        action = current.get(target.ref) or action_by_ref(conn, database, target.ref)
        undo_id = undo_of[target.id]
        left = undo_rows[undo_id].new or ""  # what the undo left the field as
        if target.field == "status":
            check_status(target.new, f"action {target.ref} in history #{target.id}")
            found = _superseded(conn, action, "status", left, action.status, chosen=target.new)
            conn.execute(update(T.action).where(T.action.c.id == action.id).values(status=target.new))
            entry = step.record(
                action, field="status", old=action.status, new=target.new, note=target.note,
                redoes_id=undo_id,
            )  # fmt: skip
            action = _after(action, entry, status=target.new)
        elif target.field == "milestone":
            label = target.new or ""
            now = " ".join(action.milestone.split())
            found = _superseded(conn, action, "milestone", " ".join(left.split()), now, chosen=label)
            changed = _milestone_values(action, parse_milestone(label), label)
            conn.execute(update(T.action).where(T.action.c.id == action.id).values(**changed))
            entry = step.record(
                action, field="milestone", old=action.milestone, new=label, note=target.note,
                redoes_id=undo_id,
            )  # fmt: skip
            action = _after(action, entry, **changed)
        else:
            found = None
            entry = step.record(action, field="note", old=None, new=None, note=target.note, redoes_id=undo_id)
            action = _after(action, entry)
        if found is not None:
            superseded.append(found)
        current[target.ref] = action
    return ChangesResult(current[targets[0].ref], tuple(step.entries), before, tuple(superseded), "redo")


# --- the same entry, by what is changed ---------------------------------------------------------------


def _one(result: ChangesResult) -> ChangeResult:
    superseded = result.superseded[0] if result.superseded else None
    return ChangeResult(result.action, result.entry, result.before, superseded)


def set_status(
    database: Database,
    ref: str,
    code: str,
    *,
    note: str = "",
    author: str,
    at: datetime | None = None,
    expected: str | None = None,
) -> ChangeResult:
    """Set an action's status, with optional commentary, as one history entry.

    Setting the status it already has records only the note (if any) and otherwise changes nothing.
    `expected` is the status the caller last saw: when someone has changed it since, the change still
    applies and the result's `superseded` says whose change it replaced.
    """
    request = Edit(ref, status=code, note=note, expected_status=expected)
    return _one(apply_change(database, request, author=author, at=at))


def set_milestone(
    database: Database,
    ref: str,
    label: str,
    *,
    note: str = "",
    author: str,
    at: datetime | None = None,
    expected: str | None = None,
) -> ChangeResult:
    """Move an action's milestone. The label must be readable; the first milestone stays the baseline.

    Moving it to the milestone it already has records only the note (if any), as `set_status` does.
    `expected` is the milestone the caller last saw (see `set_status`).
    """
    request = Edit(ref, milestone=label, note=note, expected_milestone=expected)
    return _one(apply_change(database, request, author=author, at=at))


def add_note(
    database: Database, ref: str, note: str, *, author: str, at: datetime | None = None
) -> ChangeResult:
    """Record commentary on an action without changing anything else."""
    if not note.strip():
        raise InputError("note: the note is empty")
    return _one(apply_change(database, Edit(ref, note=note), author=author, at=at))


def change_action(
    database: Database,
    ref: str,
    *,
    code: str | None = None,
    milestone: str | None = None,
    note: str = "",
    author: str,
    at: datetime | None = None,
    expected: str | None = None,
    expected_milestone: str | None = None,
) -> ChangesResult:
    """Change an action's status and its milestone together, as one step.

    Each field that changes gets its own history entry (status first, then milestone), both carrying
    the note and sharing the step, so one undo takes them back together. With nothing to change, a
    note is recorded on its own. A bad status or an unreadable label refuses the whole change before
    anything is written.
    """
    request = Edit(ref, code, milestone, note, expected, expected_milestone)
    return apply_change(database, request, author=author, at=at)


def undo_step(
    database: Database,
    *,
    author: str,
    force: bool = False,
    step: int | None = None,
    at: datetime | None = None,
) -> ChangesResult:
    """Take back `author`'s own newest step by recording its reverse (see `Undo`)."""
    return apply_change(database, Undo(force, step), author=author, at=at)


def redo_step(database: Database, *, author: str, at: datetime | None = None) -> ChangesResult:
    """Record `author`'s last undone step again."""
    return apply_change(database, Redo(), author=author, at=at)


def undone_ids(database: Database) -> set[int]:
    """Ids of history rows that a later row has undone."""
    with database.read() as conn:
        return set(
            conn.execute(select(T.history.c.undoes_id).where(T.history.c.undoes_id.is_not(None))).scalars()
        )
