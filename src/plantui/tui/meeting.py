"""Meeting mode: step through the actions in scope one at a time and change them live, in the room.

Three screens and a helper, wired by the host app:

- `MeetingSetup(nodes, rows, today, current_filter=None, open_meeting=None)` is a dialog choosing the
  scope (the whole plan, a theme, an area, or the host's current filter) and an optional title. It
  dismisses with a `MeetingChoice`, or None. When a meeting is already open (`store.meetings
  .open_meeting`), starting another is refused by the store, so the dialog offers only to resume it:
  the choice then has `resume=True` and the open meeting's scope.
- `begin_meeting(database, choice, author, today)` starts (or finds the open) meeting and reads the
  actions in its scope; run it in a worker.
- `MeetingScreen(database, rows, meeting, author, today, nodes=())` is the focused view (`nodes`, from
  `store.queries.nodes`, names the theme and area above each action). Each change is saved
  as it is made, through `store.changes` with the meeting's id, in a thread worker; saves run one at a
  time in the order made and "saved" shows only after the commit returns. A resumed meeting reads
  what was already recorded in it and opens at the action after the last one changed. Ending the
  meeting (`x`) stores its end and shows `MeetingSummaryScreen`; the screen then dismisses with the
  `MeetingSummary`. Esc leaves without ending: the meeting stays open to be resumed (None).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from plantui.domain.due import DueState
from plantui.domain.errors import InputError, PlantuiError
from plantui.domain.scopes import parse_scope
from plantui.domain.statuses import STATUSES, status, status_for_key
from plantui.domain.text import visible, visible_block
from plantui.domain.views import ActionRow, HistoryEntry, Meeting, NodeInfo
from plantui.io.reports.words import due_words, leads_text, slip_words
from plantui.store.changes import ChangeResult
from plantui.store.database import Database
from plantui.store.meetings import MeetingSummary
from plantui.tui.change_lines import change_block, change_text, local_time, move_piece, status_piece
from plantui.tui.marked_list import MarkedOptionList
from plantui.tui.milestone_dialog import MilestoneDialog, MilestoneEdit
from plantui.tui.widgets.plan_footer import PlanFooter


@dataclass(frozen=True, slots=True)
class MeetingChoice:
    scope: str  # as `plantui.domain.scopes` reads it: "plan", "theme:4", "area:1.2", "filter:EXPR"
    title: str = ""
    resume: bool = False  # resume the meeting that is already open rather than start one


def begin_meeting(
    database: Database, choice: MeetingChoice, author: str, today: date
) -> tuple[Meeting, list[ActionRow]]:
    """Start the chosen meeting (or find the open one to resume) and the actions in its scope."""
    from plantui.domain.errors import NotFoundError
    from plantui.store.board import actions_in_scope
    from plantui.store.meetings import open_meeting, start_meeting

    if choice.resume:
        meeting = open_meeting(database)
        if meeting is None:
            raise NotFoundError("the open meeting has been ended elsewhere: start a new one")
    else:
        meeting = start_meeting(database, choice.title, choice.scope, author=author)
    return meeting, actions_in_scope(database, meeting.scope, today)


def _scope_options(
    nodes: Iterable[NodeInfo], rows: Sequence[ActionRow], today: date, current_filter: str | None
) -> list[Option]:
    def count(scope: str) -> int:
        return len(parse_scope(scope).selects(list(rows), today))

    def option(scope: str, label: Text) -> Option:
        n = count(scope)
        label.append(f"  ({n} action{'s' if n != 1 else ''})", style="dim")
        return Option(label, id=scope, disabled=not n)  # nothing to step through

    options = [option("plan", Text("The whole plan", style="bold"))]
    if current_filter and current_filter.strip():
        expression = current_filter.strip()
        try:
            options.append(option(f"filter:{expression}", Text(f"The current filter: {visible(expression)}")))
        except InputError as error:
            options.append(Option(Text(f"The current filter cannot be read: {error}"), disabled=True))
    for node in nodes:
        if node.kind == "theme":
            options.append(
                option(f"theme:{node.ref}", Text.assemble(f"Theme {node.ref}  ", visible(node.title)))
            )
        elif node.kind == "area":
            options.append(
                option(f"area:{node.ref}", Text.assemble(f"   Area {node.ref}  ", visible(node.title)))
            )
    return options


class MeetingSetup(ModalScreen[MeetingChoice | None]):
    """Choose what the meeting covers and its title, or resume the open meeting."""

    CSS_PATH = "meeting.tcss"
    BINDINGS: ClassVar = [Binding("escape", "cancel", "Cancel", id="meeting_setup.cancel")]

    def __init__(
        self,
        nodes: Iterable[NodeInfo],
        rows: Sequence[ActionRow],
        today: date,
        *,
        current_filter: str | None = None,
        open_meeting: Meeting | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(name=name)
        self.nodes = tuple(nodes)
        self.rows = tuple(rows)
        self.today = today
        self.current_filter = current_filter
        self.open_meeting = open_meeting

    def compose(self) -> ComposeResult:
        with Vertical(id="setup-dialog", classes="dialog"):
            if self.open_meeting is not None:
                meeting = self.open_meeting
                yield Static(Text("Resume the open board meeting", style="bold"), classes="dialog-heading")
                yield Static(
                    Text(
                        f"{visible(meeting.name)!r} over {parse_scope(meeting.scope).label}, started "
                        f"{local_time(meeting.started_at)} by {visible(meeting.recorded_by)}, is "
                        "still open. Only one meeting is open at a time: resume it, and end it from there."
                    )
                )
                yield MarkedOptionList(
                    Option(Text("Resume this meeting", style="bold"), id="resume"), id="setup-scope"
                )
            else:
                yield Static(Text("Start a board meeting", style="bold"), classes="dialog-heading")
                yield Label("Title (optional, e.g. November Improvement Board)")
                yield Input(placeholder="untitled: named by its date", id="setup-title")
                yield Label("What does it cover? Enter starts")
                yield MarkedOptionList(
                    *_scope_options(self.nodes, self.rows, self.today, self.current_filter), id="setup-scope"
                )
            yield Static(Text("Enter chooses · Tab moves · Esc cancels", style="dim"), classes="dialog-help")

    def on_mount(self) -> None:
        if self.open_meeting is not None:
            self.query_one("#setup-scope", OptionList).focus()
        else:
            self.query_one("#setup-title", Input).focus()
        self.query_one("#setup-scope", OptionList).highlighted = 0

    @on(Input.Submitted, "#setup-title")
    def title_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#setup-scope", OptionList).focus()

    @on(OptionList.OptionSelected, "#setup-scope")
    def scope_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.open_meeting is not None:
            meeting = self.open_meeting
            self.dismiss(MeetingChoice(meeting.scope, meeting.title, resume=True))
            return
        title = " ".join(self.query_one("#setup-title", Input).value.split())
        assert event.option.id is not None
        self.dismiss(MeetingChoice(event.option.id, title))

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteDialog(ModalScreen[str | None]):
    """Write a note on one action. Dismisses with the note (never empty), or None."""

    CSS_PATH = "meeting.tcss"
    BINDINGS: ClassVar = [Binding("escape", "cancel", "Cancel", id="note.cancel")]

    def __init__(self, action: ActionRow, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.action = action

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog", classes="dialog"):
            heading = Text.assemble(("Note on ", "bold"), (self.action.ref, "bold"), " ")
            heading.append(visible(self.action.title))
            heading.truncate(200, overflow="ellipsis")
            yield Static(heading, classes="dialog-heading")
            yield Label("What was said (recorded in the history, with your name and the meeting)")
            yield Input(id="note-text", placeholder="e.g. Two posts filled; third re-advertised")
            yield Static(id="note-problem", classes="dialog-problem")
            yield Static(Text("Enter saves · Esc cancels", style="dim"), classes="dialog-help")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        note = event.value.strip()
        if not note:
            self.query_one("#note-problem", Static).update(Text("✖ the note is empty: type it, or Esc"))
            return
        self.dismiss(note)

    def action_cancel(self) -> None:
        self.dismiss(None)


def status_block(code: str) -> Text:
    """The status big and plain: ` ✖ R  OFF TRACK ` in reverse colour, then the legend's words."""
    s = status(code)
    words = s.short.upper() if s.letter == s.short else f"{s.letter}  {s.short.upper()}"
    text = Text(f" {s.symbol} {words} ", style=f"bold reverse {s.colour}")
    text.append("  ")
    text.append(s.label, style="italic")
    return text


def _field(label: str, value: Text | str) -> Text:
    text = Text(f"{label}: ", style="bold")
    text.append_text(value if isinstance(value, Text) else Text(value))
    return text


def card_context(row: ActionRow, titles: dict[str, str]) -> Text:
    """`Theme 4 Improving Strategic Partnerships › 4.1 Corporate Parenting`, as far as titles are known."""
    theme = f"Theme {row.theme_ref} {visible(titles.get(row.theme_ref, ''))}".rstrip()
    area = f"{row.area_ref} {visible(titles.get(row.area_ref, ''))}".rstrip()
    return Text(f"{theme}  ›  {area}", style="dim")


def card_heading(row: ActionRow) -> Text:
    text = Text(row.ref, style="bold reverse")
    text.append("  ")
    text.append(visible(row.title), style="bold")
    return text


def card_facts(row: ActionRow, today: date) -> Text:
    """Leads, milestone and due state, as lines of words (symbols beside any emphasis)."""
    milestone = Text(visible(row.milestone) or "(no milestone)")
    state = row.due_state(today)
    due = due_words(row, today)
    mark = "" if state is DueState.LATER else f"{state.symbol} "  # LATER's symbol is a bare dot
    milestone.append(f"  ·  {mark}{due}", style="bold" if state is DueState.OVERDUE else "")
    if slip := slip_words(row):
        milestone.append(f"  ·  » {visible(slip)}", style="italic")
    lines = [
        _field("Lead" if len(row.leads) == 1 else "Leads", visible(leads_text(row))),
        _field("Milestone", milestone),
    ]
    return Text("\n").join(lines)


def card_text(label: str, body: str, empty: str) -> Text:
    text = Text(f"{label}\n", style="bold")
    if body.strip():
        text.append(visible_block(body.strip()))
    else:
        text.append(empty, style="dim italic")
    return text


class MeetingSummaryScreen(Screen[None]):
    """Everything a meeting changed: the net moves, then each change with who made it and the note."""

    CSS_PATH = "meeting.tcss"
    BINDINGS: ClassVar = [
        Binding("enter", "close", "Done", id="meeting_summary.done"),
        Binding("escape", "close", "Done", id="meeting_summary.close", show=False),
    ]

    def __init__(self, summary: MeetingSummary, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.summary = summary

    def compose(self) -> ComposeResult:
        yield Static(self._heading(), id="summary-heading")
        with VerticalScroll(id="summary-body"):
            yield Static(self._moves(), id="summary-moves")
            yield Static(self._changes(), id="summary-changes")
        yield PlanFooter()

    def _heading(self) -> Text:
        summary, meeting = self.summary, self.summary.meeting
        text = Text.assemble(("Meeting ended: ", "bold"), (visible(meeting.name), "bold"))
        text.append(f"  ·  {parse_scope(meeting.scope).label}  ·  {local_time(meeting.started_at)}")
        if meeting.ended_at is not None:
            text.append(f"–{local_time(meeting.ended_at, with_date=False)}")
        moves = summary.moves
        better = sum(1 for m in moves if m.direction.value == "better")
        worse = sum(1 for m in moves if m.direction.value == "worse")
        text.append(
            f"\n{len(summary.changes)} change{'s' if len(summary.changes) != 1 else ''} recorded: "
            f"{summary.status_changes} status, {summary.notes} with notes  ·  "
            f"{len(moves)} action{'s' if len(moves) != 1 else ''} moved: ↑ {better} better, ↓ {worse} worse"
        )
        if sideways := len(moves) - better - worse:
            text.append(f", → {sideways} no change in risk")
        return text

    def _moves(self) -> Text:
        text = Text("Status moves (net, from before the meeting to now)\n", style="bold underline")
        if not self.summary.moves:
            text.append("No action's status moved in this meeting.", style="dim italic")
            return text
        lines = []
        for move in self.summary.moves:
            line = Text.assemble("  ", (move.ref, "bold"), " ", visible(move.title), "\n      ")
            line.append_text(status_piece(move.old))
            line.append(" -> ")
            line.append_text(status_piece(move.new))
            line.append("  ")
            line.append_text(move_piece(move.old, move.new))
            lines.append(line)
        text.append_text(Text("\n").join(lines))
        return text

    def _changes(self) -> Text:
        text = Text("\nEvery change, in the order made\n", style="bold underline")
        if not self.summary.changes:
            text.append("Nothing was changed in this meeting.", style="dim italic")
            return text
        blocks = [change_block(e, undone=e.id in self.summary.undone) for e in self.summary.changes]
        text.append_text(Text("\n").join(blocks))
        return text

    def action_close(self) -> None:
        self.dismiss(None)


class MeetingScreen(Screen[MeetingSummary | None]):
    """One action at a time, large and plain, with live changes recorded in the meeting."""

    CSS_PATH = "meeting.tcss"
    AUTO_FOCUS = "#meeting-card"
    BINDINGS: ClassVar = [
        Binding("1", "set_status('1')", "Status", id="meeting.status", key_display="1-6"),
        *(Binding(s.key, f"set_status('{s.key}')", s.short, show=False) for s in STATUSES[1:]),
        Binding("n", "note", "Note", id="meeting.note"),
        Binding("e", "milestone", "Milestone", id="meeting.milestone"),
        Binding("x", "end", "End meeting", id="meeting.end"),
        Binding("space,j", "step(1)", "Next", id="meeting.next", key_display="j/space"),
        Binding("k", "step(-1)", "Back", id="meeting.back"),
        Binding("right", "step(1)", "Next", id="meeting.next_arrow", show=False),
        Binding("left", "step(-1)", "Back", id="meeting.back_arrow", show=False),
        Binding("u", "undo", "Undo", id="meeting.undo"),
        Binding("escape", "leave", "Leave open", id="meeting.leave"),
    ]

    def __init__(
        self,
        database: Database,
        rows: Sequence[ActionRow],
        meeting: Meeting,
        author: str,
        today: date,
        *,
        nodes: Iterable[NodeInfo] = (),
        name: str | None = None,
    ) -> None:
        super().__init__(name=name)
        self.database = database
        self.rows = list(rows)
        self.titles = {node.ref: node.title for node in nodes}  # for the theme and area above each action
        self.meeting = meeting
        self.author = author
        self.today = today
        self.index = 0
        self.made: list[HistoryEntry] = []  # changes recorded in this meeting, oldest first
        self._pending: deque[tuple[str, Callable[[], ChangeResult]]] = deque()
        self._save_lock = threading.Lock()
        self._ending = False

    # -- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="meeting-title")
        with Vertical(id="meeting-progress-row"):
            yield Static(id="meeting-progress")
            yield ProgressBar(
                total=max(len(self.rows), 1), show_eta=False, show_percentage=False, id="meeting-bar"
            )
        with VerticalScroll(id="meeting-card", can_focus=True):
            yield Static(id="card-context")
            yield Static(id="card-heading")
            yield Static(id="card-status")
            yield Static(id="card-facts")
            yield Static(id="card-measures")
            yield Static(id="card-note")
            yield Static(id="card-changes")
        yield Static(id="meeting-saved")
        yield PlanFooter()

    def on_mount(self) -> None:
        title = Text.assemble(("Board meeting  ", "bold"), (visible(self.meeting.name), "bold"))
        title.append(f"  ·  {parse_scope(self.meeting.scope).label}  ·  recording as {visible(self.author)}")
        self.query_one("#meeting-title", Static).update(title)
        self._show()
        self._load_earlier_changes()

    @property
    def current(self) -> ActionRow | None:
        return self.rows[self.index] if self.rows else None

    def _show(self) -> None:
        row = self.current
        progress = self.query_one("#meeting-progress", Static)
        changed_refs = {e.action_ref for e in self.made}
        if row is None:
            progress.update(Text("No actions in this scope. x ends the meeting, Esc leaves it open."))
            for part in ("context", "heading", "status", "facts", "measures", "note", "changes"):
                self.query_one(f"#card-{part}", Static).update("")
            return
        line = Text(f"{self.index + 1} of {len(self.rows)}", style="bold")
        line.append(f"  ·  {len(changed_refs)} action{'s' if len(changed_refs) != 1 else ''} changed so far")
        if row.ref in changed_refs:
            line.append("  ·  ✎ this one changed in this meeting", style="italic")
        progress.update(line)
        self.query_one("#meeting-bar", ProgressBar).update(progress=self.index + 1)
        self.query_one("#card-context", Static).update(card_context(row, self.titles))
        self.query_one("#card-heading", Static).update(card_heading(row))
        self.query_one("#card-status", Static).update(status_block(row.status))
        self.query_one("#card-facts", Static).update(card_facts(row, self.today))
        self.query_one("#card-measures", Static).update(
            card_text("Success measures", row.success_measures, "(none written)")
        )
        self.query_one("#card-note", Static).update(card_text("Last note", row.last_note, "(no note yet)"))
        mine = [e for e in self.made if e.action_ref == row.ref]
        changes = self.query_one("#card-changes", Static)
        if mine:
            text = Text("In this meeting\n", style="bold")
            text.append_text(Text("\n").join(change_block(e, with_date=False) for e in mine))
            changes.update(text)
        else:
            changes.update("")
        self.query_one("#meeting-card", VerticalScroll).scroll_home(animate=False)

    def _say(self, text: Text, *, problem: bool = False) -> None:
        line = self.query_one("#meeting-saved", Static)
        line.update(text)
        line.set_class(problem, "-problem")

    # -- resuming ---------------------------------------------------------------------------------

    @work(thread=True, group="meeting-load")
    def _load_earlier_changes(self) -> None:
        from plantui.store.meetings import meeting_summary

        try:
            summary = meeting_summary(self.database, self.meeting.id)
        except PlantuiError as error:
            self.app.call_from_thread(self._say, Text(f"✖ {error}"), problem=True)
            return
        self.app.call_from_thread(self._resume_from, summary.changes)

    def _resume_from(self, earlier: tuple[HistoryEntry, ...]) -> None:
        if not earlier:
            self._say(Text(f"Meeting open. Changes are saved as you make them, as {visible(self.author)}."))
            return
        known = {e.id for e in self.made}
        self.made[:0] = [e for e in earlier if e.id not in known]
        refs = [row.ref for row in self.rows]
        touched = [refs.index(e.action_ref) for e in earlier if e.action_ref in refs]
        if touched and self.index == 0:
            self.index = min(max(touched) + 1, len(self.rows) - 1)
        self._show()
        plural = "s" if len(earlier) != 1 else ""
        self._say(Text(f"Resumed: {len(earlier)} change{plural} already recorded in this meeting."))

    # -- moving -----------------------------------------------------------------------------------

    def action_step(self, by: int) -> None:
        if not self.rows:
            return
        index = self.index + by
        if not 0 <= index < len(self.rows):
            self.app.bell()
            self._say(
                Text(
                    "That is the last action: x ends the meeting." if by > 0 else "That is the first action."
                )
            )
            return
        self.index = index
        self._show()

    # -- changing ---------------------------------------------------------------------------------

    def action_set_status(self, key: str) -> None:
        row, chosen = self.current, status_for_key(key)
        if row is None or chosen is None:
            return
        self._save(
            f"{row.ref} status {chosen.symbol} {chosen.short}",
            lambda: _set_status(self.database, row.ref, chosen.code, self.author, self.meeting.id),
        )

    def action_note(self) -> None:
        row = self.current
        if row is None:
            return

        def chosen(note: str | None) -> None:
            if note:
                self._save(
                    f"{row.ref} note",
                    lambda: _add_note(self.database, row.ref, note, self.author, self.meeting.id),
                )

        self.app.push_screen(NoteDialog(row), chosen)

    def action_milestone(self) -> None:
        row = self.current
        if row is None:
            return

        def chosen(edit: MilestoneEdit | None) -> None:
            if edit is not None:
                self._save(
                    f"{row.ref} milestone {visible(edit.label)!r}",
                    lambda: _set_milestone(self.database, edit, self.author, self.meeting.id),
                )

        self.app.push_screen(MilestoneDialog(row, self.today), chosen)

    def action_undo(self) -> None:
        self._save("undo", lambda: _undo(self.database, self.author, self.meeting.id))

    def _save(self, describe: str, job: Callable[[], ChangeResult]) -> None:
        if self._ending:
            return
        self._pending.append((describe, job))
        self._say(Text(f"… saving {describe}", style="italic"))
        self._run_next_save()

    @work(thread=True, group="meeting-save")
    def _run_next_save(self) -> None:
        """Take the oldest pending change and commit it: one at a time, in the order made."""
        with self._save_lock:
            describe, job = self._pending.popleft()
            try:
                result = job()
            except PlantuiError as error:
                self.app.call_from_thread(self._save_failed, describe, error)
                return
            self.app.call_from_thread(self._saved, result)

    def _saved(self, result: ChangeResult) -> None:
        action = result.action
        for index, row in enumerate(self.rows):
            if row.ref == action.ref:
                self.rows[index] = action
        if result.entry is None:
            self._say(Text(f"· {action.ref} is already {status(action.status).short}: nothing to save"))
            return
        self.made.append(result.entry)
        line = Text("✔ saved  ", style="bold")
        line.append(action.ref, style="bold")
        line.append("  ")
        line.append_text(change_text(result.entry))
        if result.entry.note:
            line.append(" — note recorded")
        self._show()
        self._say(line)

    def _save_failed(self, describe: str, error: PlantuiError) -> None:
        self._say(Text(f"✖ not saved ({describe}): {visible(str(error))}"), problem=True)

    # -- ending -----------------------------------------------------------------------------------

    def action_end(self) -> None:
        if self._pending:
            self._say(Text("… still saving the last change: press x again in a moment"))
            return
        self._ending = True
        self._say(Text("… ending the meeting", style="italic"))
        self._end_meeting()

    @work(thread=True, group="meeting-end")
    def _end_meeting(self) -> None:
        from plantui.store.meetings import end_meeting

        with self._save_lock:
            try:
                summary = end_meeting(self.database, meeting_id=self.meeting.id)
            except PlantuiError as error:
                self.app.call_from_thread(self._end_failed, error)
                return
        self.app.call_from_thread(self._ended, summary)

    def _end_failed(self, error: PlantuiError) -> None:
        self._ending = False
        self._say(Text(f"✖ the meeting was not ended: {visible(str(error))}"), problem=True)

    def _ended(self, summary: MeetingSummary) -> None:
        self.app.push_screen(MeetingSummaryScreen(summary), lambda _: self.dismiss(summary))

    def action_leave(self) -> None:
        """Leave the meeting open (to resume later, from here or another window)."""
        if self._pending:
            self._say(Text("… still saving the last change: press Esc again in a moment"))
            return
        self.dismiss(None)


def _set_status(database: Database, ref: str, code: str, author: str, meeting_id: int) -> ChangeResult:
    from plantui.store.changes import set_status

    return set_status(database, ref, code, author=author, meeting_id=meeting_id)


def _add_note(database: Database, ref: str, note: str, author: str, meeting_id: int) -> ChangeResult:
    from plantui.store.changes import add_note

    return add_note(database, ref, note, author=author, meeting_id=meeting_id)


def _set_milestone(database: Database, edit: MilestoneEdit, author: str, meeting_id: int) -> ChangeResult:
    from plantui.store.changes import set_milestone

    return set_milestone(database, edit.ref, edit.label, note=edit.note, author=author, meeting_id=meeting_id)


def _undo(database: Database, author: str, meeting_id: int) -> ChangeResult:
    from plantui.store.changes import undo_last

    return undo_last(database, author=author, only_by=author, meeting_id=meeting_id)
