"""Asking before a step that cannot be taken without a yes: `y` goes ahead, `n` or Escape does not.

Used where the store refused to act without confirmation (an undo of a change someone has changed
since, or one made in a board meeting that has ended), and before meeting mode's `x` ends a meeting.
The texts may hold plan text: shown as written.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from plantui.domain.text import visible
from plantui.tui.styles import sheet


class ConfirmDialog(ModalScreen[bool]):
    """A heading, the reason in full, and the question; dismisses with True only on `y`."""

    CSS_PATH = sheet("confirm.tcss")
    BINDINGS: ClassVar = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", key_display="n/esc", id="confirm.no"),
    ]

    def __init__(self, heading: str, reason: str, question: str, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.heading = heading
        self.reason = reason
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(Text(visible(self.heading), style="bold"), classes="dialog-heading")
            yield Static(Text(visible(self.reason)), id="confirm-reason")
            yield Static(Text(visible(self.question), style="bold"), classes="dialog-help")
            yield Static(Text("y yes · n or Esc no", style="dim"), classes="dialog-help")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
