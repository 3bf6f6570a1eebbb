"""Changing the plan: one entry, `apply_change`, and one policy for every change a person makes.

A request is an `Edit` (any of the status, the milestone, a note and the text of one action: its
title, success measures, detailed plan and leads, each a `TextChange`), an `EditSeveral` (one status
and/or milestone for several actions: all or nothing, one step, actions already as asked skipped
without a row), an `Undo` or a `Redo`. `apply_change` runs it as one write transaction that writes
the change and its history rows together, under one policy, whoever asks (the workbench's keys, its
editors, its meeting screen, the CLI):
- the history rows of one request are one step (`history.group_id`): one editor save is one undo;
- what the caller saw (`Edit.expected_status`, `Edit.expected_milestone`, `TextChange.expected`) is
  checked, and a value someone changed since is reported (`Superseded`): the change still applies,
  both stay in history;
- while a board meeting is open, the change is recorded in it (`history.meeting_id`);
- undo takes back the caller's own newest step, never a colleague's; it refuses (`UndoNeedsConfirming`,
  nothing written) when anyone else changed a field of that step since, or when the step was made in
  a board meeting that has ended, unless the caller confirms (`Undo(force=True)`);
- redo records the caller's last undone step again (`history.redoes_id` names the undo it reverses);
  any new change by the caller clears what they can redo.
History is append-only: undo and redo add rows. Order is the order of ids (of commits), never the
clock. `set_status`, `set_milestone`, `add_note`, `change_action`, `edit_text`, `set_several`,
`undo_step` and `redo_step` build a request and call `apply_change`. An action's texts are handled in
their own section below (`_write_texts`, `_undo_text`, `_redo_text`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import Connection, bindparam, func, insert, or_, select, text, update

from plantui.domain.action_text import (
    TEXT_FIELDS,
    TextFieldError,
    clean_text,
    decode_leads,
    encode_leads,
    field_words,
)
from plantui.domain.errors import InputError, NotFoundError, PlantuiError, StoreError
from plantui.domain.evidence import (
    EVIDENCE_FIELD,
    IMPACT_FIELD,
    clean_evidence_link,
    clean_evidence_text,
    encode_evidence,
    impact_refusal,
    impact_text,
    impact_value,
)
from plantui.domain.milestones import Milestone, due_from_label, parse_milestone
from plantui.domain.statuses import status
from plantui.domain.views import ActionRow, HistoryEntry, Meeting
from plantui.domain.wording import NO_VALUE, clip_words, leads_words, plural
from plantui.store import tables as T
from plantui.store.clock import local_text, to_utc_naive, utcnow
from plantui.store.database import Database
from plantui.store.evidence import linked_measures
from plantui.store.leads import replace_leads
from plantui.store.meetings import meeting_open_in
from plantui.store.plans import current_plan_id
from plantui.store.queries import action_by_ref, actions_by_refs, check_status
from plantui.store.watch import notify_change

# Notes and evidence add to each other: a later one conflicts with nothing. Every other field holds one value.
CHECKED_FIELDS = ("status", "milestone", IMPACT_FIELD, *TEXT_FIELDS)


# --- what a caller asks for --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextChange:
    """A new value for one of an action's texts: `field` is "title", "success_measures",
    "detailed_plan" (`value` a text) or "leads" (`value` the names, in order). `expected` is the value
    the caller last saw (None: not said)."""

    field: str
    value: str | tuple[str, ...]
    expected: str | tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Edit:
    """A change to one action: its status, its milestone, its texts and/or a note, saved as one step.

    `expected_status` and `expected_milestone` are what the caller last saw (None: not said)."""

    ref: str
    status: str | None = None
    milestone: str | None = None
    note: str = ""
    expected_status: str | None = None
    expected_milestone: str | None = None
    texts: tuple[TextChange, ...] = ()


@dataclass(frozen=True, slots=True)
class EditSeveral:
    """One status and/or milestone (with an optional note) for several actions, saved as one step.

    All or nothing: an unknown ref or an unreadable milestone changes none of them. An action already
    at every value asked for is skipped without a history row (`ChangesResult.skipped`).
    `expected_statuses` and `expected_milestones` are what the caller last saw of each action, in the
    order of `refs` (empty: not said)."""

    refs: tuple[str, ...]
    status: str | None = None
    milestone: str | None = None
    note: str = ""
    expected_statuses: tuple[str | None, ...] = ()
    expected_milestones: tuple[str | None, ...] = ()


@dataclass(frozen=True, slots=True)
class AddEvidence:
    """Evidence of impact for one action (`plantui.domain.evidence`): a short text, an optional link or
    file path, and the day it is from."""

    ref: str
    text: str
    link: str = ""
    day: date | None = None  # None: refused (the caller says which day, its --today by default)


@dataclass(frozen=True, slots=True)
class SetImpact:
    """Mark an action's impact evidenced (`evidenced=True`) or not. Marking it needs evidence or a linked
    measure met in its latest period (`plantui.domain.evidence.impact_refusal`)."""

    ref: str
    evidenced: bool


@dataclass(frozen=True, slots=True)
class Undo:
    """Take back the caller's own newest step. `force` undoes it even when someone changed it since or
    its meeting has ended; `step` insists on the step the caller was asked about (its group id)."""

    force: bool = False
    step: int | None = None


@dataclass(frozen=True, slots=True)
class Redo:
    """Record the caller's last undone step again."""


ChangeRequest = Edit | EditSeveral | AddEvidence | SetImpact | Undo | Redo


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
        show = _shown_by(self.field, show)
        found = (
            f"the {field_words(self.field)} was {show(self.found)}, not {show(self.expected)} as you saw it"
        )
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
    # Every action the step touched, (before, after), in the order first touched: set by a change of
    # several actions and by undo and redo (which may take back several); empty means just `action`.
    touched: tuple[tuple[ActionRow, ActionRow], ...] = ()
    skipped: tuple[str, ...] = ()  # refs of a change of several that were already as asked

    @property
    def actions(self) -> tuple[tuple[ActionRow, ActionRow], ...]:
        """(before, after) of every action the step touched."""
        return self.touched or ((self.before, self.action),)

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
        show = _shown_by(self.field, show if self.field == "status" else str)
        if self.field == "meeting":
            return f"your change to {self.ref} was made in the board meeting {self.new}"
        name = field_words(self.field)
        if self.by is None:
            return f"the {name} of {self.ref} is now {show(self.new or '')}, not what your change left"
        when = local_text(self.at) if self.at is not None else "?"
        return (
            f"{self.by} changed the {name} of {self.ref} from {show(self.old or '')} to "
            f"{show(self.new or '')} at {when} (history #{self.history_id})"
        )


def _shown_by(field: str, show: Callable[[str], str]) -> Callable[[str], str]:
    """How a value of `field` is shown in a sentence: a text quoted and cut short, the leads as names."""
    if field == "leads":
        return leads_words
    if field in TEXT_FIELDS:
        return lambda value: repr(clip_words(value, 40)) if value else NO_VALUE
    return show


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
    # Actions whose summary an undo row left to refresh, once each, by `refresh_deferred` (an undo of
    # hundreds of actions would otherwise run three statements a row for it).
    deferred: set[int] | None = None

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
        elif self.deferred is not None:
            self.deferred.add(action.id)
        else:
            _refresh_summary(conn, action.id)
        notify_change(conn, history_id)
        self.entries.append(entry)
        return entry

    def refresh_deferred(self) -> None:
        if self.deferred:
            refresh_summaries(self.conn, sorted(self.deferred))
            self.deferred.clear()


# --- the one entry ------------------------------------------------------------------------------------


def apply_change(
    database: Database, request: ChangeRequest, *, author: str, at: datetime | None = None
) -> ChangesResult:
    """Make one change under the policy in this module's docstring, in one write transaction.

    A bad status or an unreadable milestone is refused before anything is opened for writing.
    """
    who = _author(author)
    prepared = _prepared(request) if isinstance(request, Edit) else None
    several = _prepared_several(request) if isinstance(request, EditSeveral) else None
    evidence = _prepared_evidence(request) if isinstance(request, AddEvidence) else None
    with database.write() as conn:
        plan_id = current_plan_id(conn, database)
        meeting = meeting_open_in(conn, plan_id)
        step = _Step(conn, who, at, meeting.id if meeting is not None else None)
        if prepared is not None:
            result = _edit(conn, database, step, prepared)
        elif several is not None:
            result = _edit_several(conn, database, step, several)
        elif evidence is not None:
            result = _add_evidence(conn, database, step, evidence)
        elif isinstance(request, SetImpact):
            result = _set_impact(conn, database, plan_id, step, request)
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
    texts: tuple[_PreparedText, ...] = ()


def _prepared(edit: Edit) -> _PreparedEdit:
    if edit.status is not None:
        status(edit.status)  # refuses an unknown code before anything is opened for writing
    if edit.expected_status is not None:
        status(edit.expected_status)
    moved = None
    if edit.milestone is not None:
        moved = (parse_milestone(edit.milestone), " ".join(edit.milestone.split()))
    seen = None if edit.expected_milestone is None else " ".join(edit.expected_milestone.split())
    texts = _prepared_texts(edit.texts)
    return _PreparedEdit(edit.ref, edit.status, moved, edit.note.strip(), edit.expected_status, seen, texts)


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
    superseded += _superseded_texts(conn, before, edit.texts)
    after = _write_changes(
        step, before, code=edit.code, milestone=edit.milestone, texts=edit.texts, note=edit.note
    )
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
    texts: Sequence[_PreparedText] = (),
    note: str,
) -> ActionRow:
    """Write what differs from `before`: the status, then the milestone (its parsed form and label),
    then each text, each with its own history row carrying the note; with nothing to change, the note
    on its own.

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
    current = _write_texts(step, current, texts, note=note)
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


def refresh_summaries(conn: Connection, action_ids: Sequence[int]) -> None:
    """`_refresh_summary` for many actions at once: a few statements per 500 actions, not three each."""
    h, a = T.history, T.action
    rows = []
    for start in range(0, len(action_ids), 500):
        chunk = list(action_ids[start : start + 500])
        latest = dict(
            conn.execute(
                select(h.c.action_id, func.max(h.c.at))
                .where(h.c.action_id.in_(chunk))
                .group_by(h.c.action_id)
            ).all()
        )
        undone = select(h.c.undoes_id).where(h.c.action_id.in_(chunk), h.c.undoes_id.is_not(None))
        notes: dict[int, str] = {}
        for action_id, note in conn.execute(
            select(h.c.action_id, h.c.note)
            .where(h.c.action_id.in_(chunk), h.c.note != "", h.c.undoes_id.is_(None), h.c.id.not_in(undone))
            .order_by(h.c.id)
        ):
            notes[action_id] = note  # the newest stands
        commentary = dict(conn.execute(select(a.c.id, a.c.commentary).where(a.c.id.in_(chunk))).all())
        rows += [
            {"row_id": i, "latest": latest.get(i), "note": notes.get(i) or commentary.get(i, "")}
            for i in chunk
        ]
    if rows:
        conn.execute(
            update(a)
            .where(a.c.id == bindparam("row_id"))
            .values(updated_at=bindparam("latest"), last_note=bindparam("note")),
            rows,
        )


# --- evidence of impact -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _PreparedEvidence:
    ref: str
    stored: str  # as the history row holds it (`encode_evidence`)


def _prepared_evidence(request: AddEvidence) -> _PreparedEvidence:
    """The evidence cleaned and checked before anything is opened for writing; one line if not."""
    if request.day is None:
        raise InputError("evidence: say the day the evidence is from (--date YYYY-MM-DD)")
    try:
        text = clean_evidence_text(request.text)
        link = clean_evidence_link(request.link)
    except TextFieldError as error:
        raise InputError(str(error)) from None
    return _PreparedEvidence(request.ref, encode_evidence(text, link, request.day))


def _add_evidence(
    conn: Connection, database: Database, step: _Step, request: _PreparedEvidence
) -> ChangesResult:
    before = action_by_ref(conn, database, request.ref)
    entry = step.record(before, field=EVIDENCE_FIELD, old=None, new=request.stored, note="")
    return ChangesResult(_after(before, entry, evidence=before.evidence + 1), tuple(step.entries), before)


def _store_impact(conn: Connection, action: ActionRow, flag: bool) -> None:
    conn.execute(update(T.action).where(T.action.c.id == action.id).values(impact=flag))


def _set_impact(
    conn: Connection, database: Database, plan_id: int, step: _Step, request: SetImpact
) -> ChangesResult:
    """Mark or unmark the action's impact evidenced; marking it an action with neither evidence nor a
    met linked measure is refused in one line, nothing written. Already as asked: no row."""
    before = action_by_ref(conn, database, request.ref)
    if before.impact == request.evidenced:
        return ChangesResult(before, (), before)
    if request.evidenced:
        measures = linked_measures(conn, plan_id, [before.id]).get(before.id, [])
        refusal = impact_refusal(
            before.ref, before.evidence, [m.ref for m in measures if m.met], len(measures)
        )
        if refusal:
            raise InputError(refusal)
    _store_impact(conn, before, request.evidenced)
    entry = step.record(
        before,
        field=IMPACT_FIELD,
        old=impact_text(before.impact),
        new=impact_text(request.evidenced),
        note="",
    )
    return ChangesResult(_after(before, entry, impact=request.evidenced), tuple(step.entries), before)


def add_evidence(
    database: Database,
    ref: str,
    text: str,
    *,
    link: str = "",
    day: date,
    author: str,
    at: datetime | None = None,
) -> ChangesResult:
    """Record evidence of impact against an action, as one history row (one undo step)."""
    return apply_change(database, AddEvidence(ref, text, link, day), author=author, at=at)


def set_impact(
    database: Database, ref: str, evidenced: bool, *, author: str, at: datetime | None = None
) -> ChangesResult:
    """Mark an action's impact evidenced or not, as one history row (see `SetImpact`)."""
    return apply_change(database, SetImpact(ref, evidenced), author=author, at=at)


# --- several actions at once ---------------------------------------------------------------------------


def _prepared_several(request: EditSeveral) -> tuple[_PreparedEdit, ...]:
    """One prepared edit per action, refs in the order given with repeats dropped; refused whole (before
    anything is opened for writing) when it names no action, changes nothing, or a value is bad."""
    if request.status is None and request.milestone is None:
        raise InputError("several actions: say the status and/or the milestone to set on them all")
    refs = [" ".join(ref.split()) for ref in request.refs]
    for which, expected in (
        ("statuses", request.expected_statuses),
        ("milestones", request.expected_milestones),
    ):
        if expected and len(expected) != len(refs):
            raise InputError(
                f"several actions: {len(expected)} expected {which} for {plural(len(refs), 'ref')}"
            )
    edits: dict[str, _PreparedEdit] = {}
    for index, ref in enumerate(refs):
        if not ref:
            raise InputError("several actions: an empty ref")
        if ref in edits:
            continue
        edit = Edit(
            ref,
            status=request.status,
            milestone=request.milestone,
            note=request.note,
            expected_status=request.expected_statuses[index] if request.expected_statuses else None,
            expected_milestone=request.expected_milestones[index] if request.expected_milestones else None,
        )
        edits[ref] = _prepared(edit)
    if not edits:
        raise InputError("several actions: name at least one action")
    return tuple(edits.values())


def _edit_several(
    conn: Connection, database: Database, step: _Step, edits: tuple[_PreparedEdit, ...]
) -> ChangesResult:
    """Every action read first (an unknown ref refuses the lot, nothing written), then each one not
    already as asked changed in the one step; the superseded check is made for each."""
    befores = actions_by_refs(conn, database, [edit.ref for edit in edits])
    touched: list[tuple[ActionRow, ActionRow]] = []
    skipped: list[str] = []
    superseded: list[Superseded] = []
    for edit, before in zip(edits, befores, strict=True):
        label = edit.milestone[1] if edit.milestone is not None else None
        milestone_now = " ".join(before.milestone.split())
        if edit.code is not None:
            found = _superseded(conn, before, "status", edit.expected_status, before.status, chosen=edit.code)
            if found is not None:
                superseded.append(found)
        if label is not None:
            found = _superseded(
                conn, before, "milestone", edit.expected_milestone, milestone_now, chosen=label
            )
            if found is not None:
                superseded.append(found)
        code = edit.code if edit.code != before.status else None
        milestone = edit.milestone if label is not None and label != milestone_now else None
        if code is None and milestone is None:  # already as asked: no row, not even for the note
            skipped.append(before.ref)
            continue
        after = _write_changes(step, before, code=code, milestone=milestone, note=edit.note)
        touched.append((before, after))
    first_before, first_after = touched[0] if touched else (befores[0], befores[0])
    return ChangesResult(
        first_after, tuple(step.entries), first_before, tuple(superseded),
        touched=tuple(touched), skipped=tuple(skipped),
    )  # fmt: skip


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
    refs = list(dict.fromkeys(row.ref for row in rows))
    current: dict[str, ActionRow] = {action.ref: action for action in actions_by_refs(conn, database, refs)}
    before = current[rows[0].ref]
    befores: dict[str, ActionRow] = {}
    rows_left = Counter(row.ref for row in rows)
    step.deferred = set()
    for row in reversed(rows):  # newest first, so each field ends as it was before the step
        action = current[row.ref]
        befores.setdefault(row.ref, action)
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
        elif row.field in TEXT_FIELDS:
            _undo_text(step, action, row)
        elif row.field == EVIDENCE_FIELD:
            step.record(action, field=EVIDENCE_FIELD, old=row.new, new=None, note="", undoes_id=row.id)
        elif row.field == IMPACT_FIELD:
            flag = impact_value(row.old)
            _store_impact(conn, action, flag)
            now = impact_text(action.impact)
            step.record(action, field=IMPACT_FIELD, old=now, new=impact_text(flag), note="", undoes_id=row.id)
        else:
            step.record(action, field="note", old=None, new=None, note="", undoes_id=row.id)
        rows_left[row.ref] -= 1
        if rows_left[row.ref]:  # another row of this action comes next: it starts from what this left
            current[row.ref] = action_by_ref(conn, database, row.ref)
    step.refresh_deferred()
    step.deferred = None
    current = {action.ref: action for action in actions_by_refs(conn, database, refs)}
    touched = tuple((befores[ref], current[ref]) for ref in reversed(befores))  # in the step's order
    return ChangesResult(current[rows[0].ref], tuple(step.entries), before, kind="undo", touched=touched)


def _conflicts(conn: Connection, database: Database, rows: Sequence, step: _Step) -> list[Conflict]:
    """What stands in the way of undoing `rows` (one step) without asking: a later change by someone
    else to one of its fields (a change and its own undo cancel out), a field that no longer holds
    what the step left, or a meeting it was made in that has ended."""
    h = T.history
    conflicts: list[Conflict] = []
    last_id = max(row.id for row in rows)
    checked = [row for row in rows if row.field in CHECKED_FIELDS]
    # Everything after the step on its actions, and the actions as they stand, each read in a few
    # statements for the whole step rather than one per row: a step may set hundreds of actions.
    after_step: dict[tuple[int, str], list] = defaultdict(list)
    action_ids = sorted({row.action_id for row in checked})
    for start in range(0, len(action_ids), 500):
        for change in conn.execute(
            select(h.c.id, h.c.action_id, h.c.field, h.c.author, h.c.at, h.c.old, h.c.new, h.c.undoes_id)
            .where(h.c.action_id.in_(action_ids[start : start + 500]), h.c.id > last_id)
            .order_by(h.c.id)
        ):
            after_step[(change.action_id, change.field)].append(change)
    standing = {a.ref: a for a in actions_by_refs(conn, database, [row.ref for row in checked])}
    for row in checked:
        later = after_step.get((row.action_id, row.field), [])
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
            now = _value_now(standing[row.ref], row.field)
            if not _same_value(row.field, now, row.new or ""):
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


def _value_now(action: ActionRow, field: str) -> str:
    """What a status, milestone or text field of `action` holds, as a history row would record it."""
    if field == "status":
        return action.status
    if field == "milestone":
        return action.milestone
    if field == IMPACT_FIELD:
        return impact_text(action.impact)
    return _stored_text(action, field)


def _same_value(field: str, one: str, other: str) -> bool:
    """Whether two values of `field` are the same; a milestone label's spacing does not count."""
    if field in TEXT_FIELDS:
        return one == other
    return " ".join(one.split()) == " ".join(other.split())


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
    refs = list(dict.fromkeys(target.ref for target in targets))
    loaded = {
        action.ref: action for action in actions_by_refs(conn, database, refs)
    }  # a few reads, not one each
    before = loaded[targets[0].ref]
    superseded: list[Superseded] = []
    current: dict[str, ActionRow] = {}
    befores: dict[str, ActionRow] = {}
    for target in targets:  # oldest first, as they were made
        action = current.get(target.ref) or loaded[target.ref]
        befores.setdefault(target.ref, action)
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
        elif target.field in TEXT_FIELDS:
            found, action = _redo_text(step, action, target, left, undo_id)
        elif target.field == EVIDENCE_FIELD:
            found = None
            entry = step.record(
                action, field=EVIDENCE_FIELD, old=None, new=target.new, note=target.note, redoes_id=undo_id
            )
            action = _after(action, entry, evidence=action.evidence + 1)
        elif target.field == IMPACT_FIELD:
            flag = impact_value(target.new)
            found = _superseded(
                conn, action, IMPACT_FIELD, left, impact_text(action.impact), chosen=impact_text(flag)
            )
            _store_impact(conn, action, flag)
            entry = step.record(
                action, field=IMPACT_FIELD, old=impact_text(action.impact), new=impact_text(flag),
                note=target.note, redoes_id=undo_id,
            )  # fmt: skip
            action = _after(action, entry, impact=flag)
        else:
            found = None
            entry = step.record(action, field="note", old=None, new=None, note=target.note, redoes_id=undo_id)
            action = _after(action, entry)
        if found is not None:
            superseded.append(found)
        current[target.ref] = action
    touched = tuple((befores[ref], current[ref]) for ref in befores)
    return ChangesResult(
        current[targets[0].ref], tuple(step.entries), before, tuple(superseded), "redo", touched=touched
    )


# --- an action's text: title, success measures, detailed plan, leads ----------------------------------


@dataclass(frozen=True, slots=True)
class _PreparedText:
    field: str
    stored: str  # the new value as a history row holds it (the leads as a JSON list)
    value: str | tuple[str, ...]  # the new value as the action holds it
    expected: str | None  # what the caller saw, as a history row would hold it


def _prepared_texts(texts: Sequence[TextChange]) -> tuple[_PreparedText, ...]:
    """The texts cleaned and checked (`plantui.domain.action_text`), before anything is opened for
    writing; a bad one refuses the whole change in one line naming its field."""
    prepared: list[_PreparedText] = []
    for change in texts:
        if any(done.field == change.field for done in prepared):
            raise InputError(f"{field_words(change.field)}: given twice in one change")
        try:
            value = clean_text(change.field, change.value)
        except TextFieldError as error:
            raise InputError(str(error)) from None
        expected = change.expected
        if isinstance(expected, tuple | list):
            expected = encode_leads(expected)
        prepared.append(_PreparedText(change.field, _stored_form(change.field, value), value, expected))
    return tuple(prepared)


def _stored_form(field: str, value: str | tuple[str, ...]) -> str:
    return encode_leads(value) if field == "leads" else str(value)


def _stored_text(action: ActionRow, field: str) -> str:
    """An action's text as a history row records it (the leads as a JSON list)."""
    if field == "leads":
        return encode_leads(action.leads)
    return getattr(action, field)


def _superseded_texts(
    conn: Connection, action: ActionRow, texts: Sequence[_PreparedText]
) -> list[Superseded]:
    """The texts someone changed since the caller last saw them."""
    found = (
        _superseded(
            conn, action, text.field, text.expected, _stored_text(action, text.field), chosen=text.stored
        )
        for text in texts
    )
    return [superseded for superseded in found if superseded is not None]


def _store_text(conn: Connection, action: ActionRow, field: str, stored: str) -> dict[str, object]:
    """Write one text of `action` (`stored` as a history row holds it); returns what changed in the
    action's row, for `_after`."""
    if field == "leads":
        leads = decode_leads(stored)
        replace_leads(conn, action.id, leads)
        return {"leads": leads}
    conn.execute(update(T.action).where(T.action.c.id == action.id).values({field: stored}))
    return {field: stored}


def _write_texts(step: _Step, before: ActionRow, texts: Sequence[_PreparedText], *, note: str) -> ActionRow:
    """Write each text that differs from `before`, each with its own history row carrying the note."""
    current = before
    for change in texts:
        now = _stored_text(current, change.field)
        if change.stored == now:
            continue
        changed = _store_text(step.conn, current, change.field, change.stored)
        entry = step.record(current, field=change.field, old=now, new=change.stored, note=note)
        current = _after(current, entry, **changed)
    return current


def _stored_history_text(row, field: str, value: str | None) -> str:
    """A text a history row holds, checked: leads that are not a JSON list of names are the store's
    fault (edited by hand, or by another tool), said in one line."""
    stored = value or ("[]" if field == "leads" else "")
    if field == "leads":
        try:
            decode_leads(stored)
        except ValueError:
            raise StoreError(
                f"history #{row.id} of action {row.ref} holds leads that are not a list of names: "
                "restore a backup or correct the database"
            ) from None
    return stored


def _undo_text(step: _Step, action: ActionRow, row) -> None:
    """Put back the text `row` replaced, recording the undo."""
    stored = _stored_history_text(row, row.field, row.old)
    now = _stored_text(action, row.field)
    _store_text(step.conn, action, row.field, stored)
    step.record(action, field=row.field, old=now, new=stored, note="", undoes_id=row.id)


def _redo_text(
    step: _Step, action: ActionRow, target, left: str, undo_id: int
) -> tuple[Superseded | None, ActionRow]:
    """Record the text of `target` again (its undo, `undo_id`, left the field as `left`)."""
    stored = _stored_history_text(target, target.field, target.new)
    now = _stored_text(action, target.field)
    found = _superseded(step.conn, action, target.field, left, now, chosen=stored)
    changed = _store_text(step.conn, action, target.field, stored)
    entry = step.record(action, field=target.field, old=now, new=stored, note=target.note, redoes_id=undo_id)
    return found, _after(action, entry, **changed)


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


def edit_text(
    database: Database,
    ref: str,
    texts: Sequence[TextChange],
    *,
    note: str = "",
    author: str,
    at: datetime | None = None,
) -> ChangesResult:
    """Change any of an action's title, success measures, detailed plan and leads as one step: one
    history row per text that changes, each carrying the note. A bad text refuses the whole change
    before anything is written."""
    return apply_change(database, Edit(ref, note=note, texts=tuple(texts)), author=author, at=at)


def set_several(
    database: Database,
    refs: Sequence[str],
    *,
    code: str | None = None,
    milestone: str | None = None,
    note: str = "",
    author: str,
    at: datetime | None = None,
) -> ChangesResult:
    """Set one status and/or milestone on several actions as one step (see `EditSeveral`)."""
    request = EditSeveral(tuple(refs), code, milestone, note)
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
