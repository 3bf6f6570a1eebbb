"""What a meeting changed, shown when it ends: the net status moves, then every change in order.

`MeetingSummaryScreen(summary, minutes=...)` shows a `store.meetings.MeetingSummary`, with the line saying
where its minutes were written (or why not), and dismisses with None.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from plantui.domain.scopes import parse_scope
from plantui.domain.text import visible
from plantui.domain.wording import plural
from plantui.store.meetings import MeetingSummary
from plantui.tui.change_lines import change_block, local_time, move_piece, status_piece
from plantui.tui.styles import sheet
from plantui.tui.widgets.plan_footer import PlanFooter


class MeetingSummaryScreen(Screen[None]):
    """Everything a meeting changed: the net moves, then each change with who made it and the note."""

    CSS_PATH = sheet("meeting_summary.tcss")
    BINDINGS: ClassVar = [
        Binding("enter", "close", "Done", id="meeting_summary.done"),
        Binding("escape", "close", "Done", id="meeting_summary.close", show=False),
    ]

    def __init__(self, summary: MeetingSummary, *, minutes: str = "", name: str | None = None) -> None:
        super().__init__(name=name)
        self.summary = summary
        self.minutes = minutes  # where the minutes were written, or why they were not

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
            f"\n{plural(len(summary.changes), 'change')} recorded: "
            f"{summary.status_changes} status, {summary.notes} with notes  ·  "
            f"{plural(len(moves), 'action')} moved: ↑ {better} better, ↓ {worse} worse"
        )
        if sideways := len(moves) - better - worse:
            text.append(f", → {sideways} no change in risk")
        if self.minutes:
            text.append("\n")
            text.append(visible(self.minutes), style="bold")
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
