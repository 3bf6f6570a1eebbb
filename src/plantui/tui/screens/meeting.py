"""Meeting mode: step through the actions in scope one at a time and change them live, in the room.

The scope is chosen in `tui.dialogs.meeting_setup` (`MeetingSetup`, then `begin_meeting`); notes
are written in `tui.dialogs.note`; the end shows `tui.screens.meeting_summary`.

- `MeetingScreen(database, rows, meeting, author, today, nodes=())` is the focused view (`nodes`, from
  `store.queries.nodes`, names the theme and area above each action). Each change is saved as it is
  made, through the workbench's one write queue (`app.submit_change`), like every other screen's:
  the store records it in the open meeting, checks it against the status or milestone shown on the
  card, and "saved" shows only after the commit returns (`PlanChanged`). A resumed meeting reads
  what was already recorded in it and opens at the action after the last one changed. Ending the
  meeting (`x`) asks first (`ConfirmDialog`, y/n); `y` stores its end, writes its minutes
  (`io.minutes`) and shows `MeetingSummaryScreen` saying where; the screen then dismisses with the
  `MeetingSummary`. Esc leaves without ending: the meeting stays open to be resumed (None).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import ProgressBar, Static

from plantui.domain.due import DueState
from plantui.domain.errors import PlantuiError
from plantui.domain.scopes import parse_scope
from plantui.domain.statuses import STATUSES, status, status_for_key
from plantui.domain.text import visible, visible_block
from plantui.domain.views import ActionRow, HistoryEntry, Meeting, NodeInfo
from plantui.domain.wording import action_due_words, action_slip_words, due_symbol, plural, status_words
from plantui.io.reports.words import leads_text
from plantui.store.changes import ChangeRequest, ChangesResult, Edit, Redo, Undo
from plantui.store.database import Database
from plantui.store.meetings import MeetingSummary
from plantui.tui.change_lines import change_block, change_text
from plantui.tui.dialogs.confirm import ConfirmDialog
from plantui.tui.dialogs.milestone import MilestoneDialog, MilestoneEdit
from plantui.tui.dialogs.note import NoteDialog
from plantui.tui.messages import ChangeNotSaved, PlanChanged
from plantui.tui.screens.meeting_summary import MeetingSummaryScreen
from plantui.tui.styles import sheet
from plantui.tui.widgets.plan_footer import PlanFooter


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
    due = action_due_words(row, today)
    mark = "" if state is DueState.LATER else f"{due_symbol(state)} "  # LATER's symbol is a bare dot
    milestone.append(f"  ·  {mark}{due}", style="bold" if state is DueState.OVERDUE else "")
    if slip := action_slip_words(row):
        milestone.append(f"  ·  » {slip}", style="italic")
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


class MeetingScreen(Screen[MeetingSummary | None]):
    """One action at a time, large and plain, with live changes recorded in the meeting."""

    CSS_PATH = sheet("meeting.tcss")
    AUTO_FOCUS = "#meeting-card"
    BINDINGS: ClassVar = [
        *(
            Binding(
                s.key,
                f"set_status('{s.key}')",
                "Status" if s.key == "1" else s.short,
                key_display="1-6" if s.key == "1" else None,
                show=s.key == "1",
                tooltip=f"{s.key}: {s.symbol} {s.short}",
                id=f"meeting.status.{s.code}",
            )
            for s in STATUSES
        ),
        Binding("n", "note", "Note", id="meeting.note"),
        Binding("e", "milestone", "Milestone", id="meeting.milestone"),
        Binding("x", "end", "End", id="meeting.end", tooltip="End the meeting (asks first)"),
        # The footer shows what fits at 80 columns; help lists space, k and the arrows as well.
        Binding(
            "space,j",
            "step(1)",
            "Next",
            id="meeting.next",
            key_display="j",
            tooltip="Next action (j or space)",
        ),
        Binding("k", "step(-1)", "Back", id="meeting.back", show=False, tooltip="Previous action (k or ←)"),
        Binding("right", "step(1)", "Next", id="meeting.next_arrow", show=False),
        Binding("left", "step(-1)", "Back", id="meeting.back_arrow", show=False),
        Binding("u", "undo", "Undo", id="meeting.undo"),
        Binding("U", "redo", "Redo", id="meeting.redo", show=False),
        Binding(
            "escape",
            "leave",
            "Leave",
            id="meeting.leave",
            tooltip="Back to the workbench, the meeting kept open",
        ),
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
        self._ending = False
        self._describing = ""  # the change last asked for, for a line that says it was not saved

    shows_saved_notices = True  # PlanApp leaves "saved" to this screen's line (no toast)

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
        line.append(f"  ·  {plural(len(changed_refs), 'action')} changed so far")
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
        self._say(Text(f"Resumed: {plural(len(earlier), 'change')} already recorded in this meeting."))

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
            f"{row.ref} status {status_words(chosen.code)}",
            Edit(row.ref, status=chosen.code, expected_status=row.status),
        )

    def action_note(self) -> None:
        row = self.current
        if row is None:
            return

        def chosen(note: str | None) -> None:
            if note:
                self._save(f"{row.ref} note", Edit(row.ref, note=note))

        self.app.push_screen(NoteDialog(row), chosen)

    def action_milestone(self) -> None:
        row = self.current
        if row is None:
            return

        def chosen(edit: MilestoneEdit | None) -> None:
            if edit is not None:
                self._save(
                    f"{row.ref} milestone {visible(edit.label)!r}",
                    Edit(edit.ref, milestone=edit.label, note=edit.note, expected_milestone=row.milestone),
                )

        self.app.push_screen(MilestoneDialog(row, self.today), chosen)

    def action_undo(self) -> None:
        self._save("undo", Undo())

    def action_redo(self) -> None:
        self._save("redo", Redo())

    def _save(self, describe: str, request: ChangeRequest) -> None:
        """Into the workbench's one write queue; the store records it in the open meeting."""
        if self._ending:
            return
        if self.app.read_only:
            self._save_failed(describe, self.app.read_only_reason)
            return
        self._describing = describe
        self._say(Text(f"… saving {describe}", style="italic"))
        self.app.submit_change(request, _saved_words)

    @on(ChangeNotSaved)
    def _not_saved(self, event: ChangeNotSaved) -> None:
        self._save_failed(self._describing, event.reason)

    def _save_failed(self, describe: str, reason: str) -> None:
        self._say(Text(f"✖ not saved ({describe}): {visible(reason)}"), problem=True)

    @on(PlanChanged)
    def _plan_changed(self, event: PlanChanged) -> None:
        """A change committed, here or elsewhere: the card follows it, and one recorded in this
        meeting joins the meeting's changes."""
        result = event.result
        action = result.action
        changed = {after.ref: after for _before, after in getattr(result, "touched", ())}
        changed[action.ref] = action
        for index, row in enumerate(self.rows):
            if row.ref in changed:
                self.rows[index] = changed[row.ref]
        known = {e.id for e in self.made}
        self.made += [e for e in result.entries if e.meeting_id == self.meeting.id and e.id not in known]
        if not event.notice:  # from the history watcher: ours again, or someone else's
            self._show()
            return
        if not result.entries:
            self._say(Text(f"· {action.ref} is already {status(action.status).short}: nothing to save"))
            return
        line = Text("✔ saved  ", style="bold")
        line.append(action.ref, style="bold")
        line.append("  ")
        line.append_text(Text(" · ").join(change_text(entry) for entry in result.entries))
        if any(entry.note for entry in result.entries):
            line.append(" — note recorded")
        self._show()
        self._say(line)

    # -- ending -----------------------------------------------------------------------------------

    def action_end(self) -> None:
        """Ask first (y/n); only a `y` ends the meeting and writes its minutes."""
        if self.app.changes_pending:
            self._say(Text("… still saving the last change: press x again in a moment"))
            return
        if self._ending:
            return
        from plantui.io.minutes import minutes_folder

        folder = minutes_folder(self.database.location)
        question = ConfirmDialog(
            f"End the meeting “{self.meeting.name}”?",
            f"{plural(len(self.made), 'change')} recorded in it. Ending it closes the meeting and writes its "
            f"minutes (the decisions that stand) into {folder}",
            "End it now? y ends it; n or Esc keeps it open.",
        )
        self.app.push_screen(question, self._end_answered)

    def _end_answered(self, end: bool | None) -> None:
        if not end:
            self._say(Text("The meeting is still open: carry on, or x to end it."))
            return
        if self.app.changes_pending:  # a change asked for before the question is still being saved
            self._say(Text("… still saving the last change: press x again in a moment"))
            return
        self._ending = True
        self._say(Text("… ending the meeting", style="italic"))
        self._end_meeting()

    @work(thread=True, group="meeting-end")
    def _end_meeting(self) -> None:
        from plantui.io.minutes import write_minutes
        from plantui.store.meetings import end_meeting

        try:
            summary = end_meeting(self.database, meeting_id=self.meeting.id)
        except PlantuiError as error:
            self.app.call_from_thread(self._end_failed, error)
            return
        try:
            minutes = f"Minutes written to {write_minutes(summary, self.database.location)}"
        except PlantuiError as error:  # the meeting has ended all the same: say so, and why no file
            minutes = f"✖ The minutes were not written: {error}"
        self.app.call_from_thread(self._ended, summary, minutes)

    def _end_failed(self, error: PlantuiError) -> None:
        self._ending = False
        self._say(Text(f"✖ the meeting was not ended: {visible(str(error))}"), problem=True)

    def _ended(self, summary: MeetingSummary, minutes: str) -> None:
        self.app.push_screen(MeetingSummaryScreen(summary, minutes=minutes), lambda _: self.dismiss(summary))

    def action_leave(self) -> None:
        """Leave the meeting open (to resume later, from here or another window)."""
        if self.app.changes_pending:
            self._say(Text("… still saving the last change: press Esc again in a moment"))
            return
        self.dismiss(None)


def _saved_words(result: ChangesResult) -> str:
    """The notice the write queue hands back; this screen draws its own line from the result."""
    return f"{result.action.ref} saved"
