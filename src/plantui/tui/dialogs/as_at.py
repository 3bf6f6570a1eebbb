"""Asking for the day to show the plan as it stood: the host then switches to read-only as-at mode.

`AsAtDialog(today, earliest=None)` dismisses with the `date` typed (YYYY-MM-DD, not after today and,
when the host gives `earliest`, not before it), or None. A bad date is refused with one line saying
why, and the dialog stays open. The host rebuilds its rows with `store.as_at.plan_as_at(db, day)`.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from plantui.domain.errors import InputError
from plantui.tui.day_input import read_day
from plantui.tui.styles import sheet


class AsAtDialog(ModalScreen[date | None]):
    """Type a past day. Dismisses with it, or None."""

    CSS_PATH = sheet("as_at.tcss")
    BINDINGS: ClassVar = [Binding("escape", "cancel", "Cancel", id="as_at.cancel")]

    def __init__(self, today: date, *, earliest: date | None = None, name: str | None = None) -> None:
        super().__init__(name=name)
        self.today = today
        self.earliest = earliest

    def compose(self) -> ComposeResult:
        with Vertical(id="as-at-dialog", classes="dialog"):
            yield Static(Text("Show the plan as it stood on…", style="bold"), id="as-at-heading")
            yield Static(
                Text(
                    "The plan is rebuilt from its history as at the end of that day and shown read-only: "
                    "nothing can be changed until you return to today."
                )
            )
            yield Label("Date (YYYY-MM-DD)")
            yield Input(placeholder=f"e.g. {self.today.replace(day=1).isoformat()}", id="as-at-date")
            yield Static(id="as-at-problem")
            yield Static(Text("Enter shows it · Esc cancels", style="dim"), id="as-at-help")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            day = read_day(event.value, field="as at", latest=self.today, earliest=self.earliest)
        except InputError as error:
            self.query_one("#as-at-problem", Static).update(Text(f"✖ {error}"))
            return
        self.dismiss(day)

    def action_cancel(self) -> None:
        self.dismiss(None)
