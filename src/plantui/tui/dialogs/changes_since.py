"""Since when? The dialog before the changes list: the last board meeting, or a typed date.

`ChangesSinceDialog(today, last_meeting)` dismisses with the text `store.as_at.changes_since` takes
("last-meeting", or the ISO date), or None.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from plantui.domain.errors import InputError
from plantui.domain.text import visible
from plantui.domain.views import Meeting
from plantui.tui.day_input import read_day
from plantui.tui.styles import sheet
from plantui.tui.widgets.marked_list import MarkedOptionList

LAST_MEETING = "last-meeting"


class ChangesSinceDialog(ModalScreen[str | None]):
    """Since when? The last meeting, or a date. Dismisses with "last-meeting" or "YYYY-MM-DD", or None."""

    CSS_PATH = sheet("changes_since.tcss")
    BINDINGS: ClassVar = [Binding("escape", "cancel", "Cancel", id="changes_since.cancel")]

    def __init__(self, today: date, last_meeting: Meeting | None = None, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.today = today
        self.last_meeting = last_meeting

    def compose(self) -> ComposeResult:
        with Vertical(id="since-dialog", classes="dialog"):
            yield Static(Text("Changes since…", style="bold"), classes="dialog-heading")
            if self.last_meeting is not None:
                meeting = self.last_meeting
                label = Text("The last meeting: ", style="bold")
                label.append(f"{visible(meeting.name)} ({meeting.started_at:%Y-%m-%d})")
                yield MarkedOptionList(Option(label, id=LAST_MEETING), id="since-choice")
                yield Label("or a date (YYYY-MM-DD), then Enter")
            else:
                yield Static(Text("No board meeting has been recorded yet.", style="italic"))
                yield Label("A date (YYYY-MM-DD), then Enter")
            yield Input(placeholder=f"e.g. {self.today.replace(day=1).isoformat()}", id="since-date")
            yield Static(id="since-problem", classes="dialog-problem")
            yield Static(Text("Enter chooses · Tab moves · Esc cancels", style="dim"), classes="dialog-help")

    def on_mount(self) -> None:
        if self.last_meeting is not None:
            choice = self.query_one("#since-choice", OptionList)
            choice.highlighted = 0
            choice.focus()
        else:
            self.query_one("#since-date", Input).focus()

    @on(OptionList.OptionSelected, "#since-choice")
    def meeting_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(LAST_MEETING)

    @on(Input.Submitted, "#since-date")
    def date_entered(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            day = read_day(event.value, field="since", latest=self.today)
        except InputError as error:
            self.query_one("#since-problem", Static).update(Text(f"✖ {error}"))
            return
        self.dismiss(day.isoformat())

    def action_cancel(self) -> None:
        self.dismiss(None)
