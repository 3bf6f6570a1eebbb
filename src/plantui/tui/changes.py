"""Every change to the plan since a day or the last board meeting, newest first.

`ChangesSinceDialog(today, last_meeting)` asks "since when?": the last meeting (when there is one) or
a date typed as YYYY-MM-DD. It dismisses with the text `store.as_at.changes_since` takes
("last-meeting", or the ISO date), or None.

`ChangesScreen(entries, label)` lists `changes_since(...)` (oldest first, as the store returns them)
newest first: when, who, the ref and title, what moved (statuses with symbols, words and a better or
worse arrow) and the note. `label` says since when ("since the last meeting, 'October Board'
(2022-10-05)", from `store.as_at.resolve_since(...).label`). It dismisses with None.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from plantui.domain.errors import InputError
from plantui.domain.movement import Direction, direction
from plantui.domain.text import visible
from plantui.domain.views import HistoryEntry, Meeting
from plantui.tui.change_lines import change_block
from plantui.tui.day_input import read_day
from plantui.tui.marked_list import MarkedOptionList
from plantui.tui.widgets.plan_footer import PlanFooter

LAST_MEETING = "last-meeting"


def tally_text(entries: Sequence[HistoryEntry], label: str) -> Text:
    live = [e for e in entries if e.undoes_id is None]
    moves = [direction(e.old, e.new) for e in live if e.field == "status" and e.old and e.new]
    actions = len({e.action_ref for e in entries})
    text = Text(f"Changes {visible(label)}", style="bold")
    text.append(
        f"  ·  {len(entries)} change{'s' if len(entries) != 1 else ''} to "
        f"{actions} action{'s' if actions != 1 else ''}  ·  "
        f"{len(moves)} status: ↑ {moves.count(Direction.BETTER)} better, "
        f"↓ {moves.count(Direction.WORSE)} worse"
    )
    undos = len(entries) - len(live)
    if undos:
        text.append(f"  ·  {undos} undo{'s' if undos != 1 else ''}")
    return text


class ChangesScreen(Screen[None]):
    """The changes since a moment, newest first. Read-only; dismisses with None."""

    CSS_PATH = "changes.tcss"
    AUTO_FOCUS = "#changes-body"
    BINDINGS: ClassVar = [
        Binding("escape", "close", "Back", id="changes.close"),
        Binding("j", "scroll(1)", "Down", id="changes.down", show=False),
        Binding("k", "scroll(-1)", "Up", id="changes.up", show=False),
    ]

    def __init__(self, entries: Sequence[HistoryEntry], label: str, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.entries = tuple(sorted(entries, key=lambda e: (e.at, e.id), reverse=True))
        self.label = label

    def compose(self) -> ComposeResult:
        yield Static(tally_text(self.entries, self.label), id="changes-heading")
        with VerticalScroll(id="changes-body", can_focus=True):
            yield Static(self._body(), id="changes-list")
        yield PlanFooter()

    def _body(self) -> Text:
        if not self.entries:
            return Text(f"No changes {visible(self.label)}.", style="italic")
        blocks = []
        for entry in self.entries:
            block = change_block(entry)
            if entry.meeting_id is not None:
                block.append(f"\n    in meeting {entry.meeting_id}", style="dim")
            blocks.append(block)
        return Text("\n").join(blocks)

    def action_scroll(self, lines: int) -> None:
        self.query_one("#changes-body", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)


class ChangesSinceDialog(ModalScreen[str | None]):
    """Since when? The last meeting, or a date. Dismisses with "last-meeting" or "YYYY-MM-DD", or None."""

    CSS_PATH = "changes.tcss"
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
