"""Ending a board meeting is asked first (meeting mode's `x`): one mis-key must not close the room.

`EndMeetingDialog(meeting, changes, minutes_folder)` says what ending does (the meeting closes; its
minutes are written into `minutes_folder`) and dismisses with True for `y`, False for `n` or Esc.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from plantui.domain.text import visible
from plantui.domain.views import Meeting
from plantui.tui.styles import sheet


class EndMeetingDialog(ModalScreen[bool]):
    """End the meeting? `y` ends it (True); `n` or Esc keeps it open (False)."""

    CSS_PATH = sheet("end_meeting.tcss")
    BINDINGS: ClassVar = [
        Binding("y", "answer(True)", "End it", id="end_meeting.yes"),
        Binding("n,escape", "answer(False)", "Keep it open", id="end_meeting.no"),
    ]

    def __init__(
        self, meeting: Meeting, changes: int, minutes_folder: Path, *, name: str | None = None
    ) -> None:
        super().__init__(name=name)
        self.meeting = meeting
        self.changes = changes
        self.minutes_folder = minutes_folder

    def compose(self) -> ComposeResult:
        with Vertical(id="end-meeting-dialog", classes="dialog"):
            heading = Text.assemble(
                ("End the meeting “", "bold"), (visible(self.meeting.name), "bold"), ("”?", "bold")
            )
            yield Static(heading, classes="dialog-heading")
            plural = "s" if self.changes != 1 else ""
            body = Text(f"{self.changes} change{plural} recorded in it. Ending it closes the meeting and ")
            body.append("writes its minutes (the decisions that stand) into ")
            body.append(visible(str(self.minutes_folder)), style="bold")
            yield Static(body, id="end-meeting-text")
            help_line = Text.assemble(("y", "bold"), " ends it  ·  ", ("n", "bold"), " or Esc keeps it open")
            yield Static(help_line, classes="dialog-help")

    def action_answer(self, end: bool) -> None:
        self.dismiss(end)
