"""The note dialog: one line on one action, recorded in the history (meeting mode's `n`)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from plantui.domain.text import visible
from plantui.domain.views import ActionRow
from plantui.tui.styles import sheet


class NoteDialog(ModalScreen[str | None]):
    """Write a note on one action. Dismisses with the note (never empty), or None."""

    CSS_PATH = sheet("note.tcss")
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
