"""The milestone editor: type a new label, see what it means, then save it with a note.

`MilestoneDialog(action, today)` is a modal the RAG editor (or a binding on the action table) pushes.
As the label is typed it shows the due date read from it, whether that is overdue or due soon as at
today, and how far it slips from the baseline; a label that cannot be read shows the reason and is
not accepted. It does no database work: it dismisses with a `MilestoneEdit` (the label and the note)
for the caller to save with `store.changes.set_milestone` in a worker, or None on Escape.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from plantui.domain.due import DueState
from plantui.domain.errors import InputError
from plantui.domain.milestone_preview import MilestonePreview, preview_milestone
from plantui.domain.statuses import status
from plantui.domain.text import visible
from plantui.domain.views import ActionRow
from plantui.domain.wording import day_text, due_state_words, due_symbol, slip_words
from plantui.tui.styles import sheet


@dataclass(frozen=True, slots=True)
class MilestoneEdit:
    ref: str
    label: str  # readable: it has been through `parse_milestone`
    note: str


def _heading(action: ActionRow) -> Text:
    s = status(action.status)
    text = Text.assemble(("Move milestone  ", "bold"), (f"{s.symbol} ", s.colour), (action.ref, "bold"), " ")
    text.append(visible(action.title))
    return text


def _current(action: ActionRow, today: date) -> Text:
    due = f"due {day_text(action.due)}" if action.due else "no due date"
    text = Text(f"Now: {visible(action.milestone) or '(none)'} ({due})")
    state = action.due_state(today)
    if state in (DueState.OVERDUE, DueState.SOON):
        text.append(f" · {due_symbol(state)} {due_state_words(state)}", style="bold")
    if action.baseline and action.baseline != action.milestone:
        text.append(f" · baseline {visible(action.baseline)}")
        if action.slippage:
            text.append(f" · {slip_words(action.slippage)}", style="italic")
    return text


class MilestoneDialog(ModalScreen[MilestoneEdit | None]):
    """Edit one action's milestone. Dismisses with a `MilestoneEdit`, or None when cancelled."""

    CSS_PATH = sheet("milestone.tcss")
    BINDINGS: ClassVar = [
        Binding("escape", "cancel", "Cancel", id="milestone.cancel"),
    ]

    def __init__(self, action: ActionRow, today: date, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.action = action
        self.today = today
        self.preview: MilestonePreview | None = None
        self.problem: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="milestone-dialog", classes="dialog"):
            yield Static(_heading(self.action), id="milestone-heading")
            yield Static(_current(self.action, self.today), id="milestone-current")
            yield Label("New milestone (e.g. March 2023, 31/03/2023, April 2023 onwards, Ongoing)")
            yield Input(value=self.action.milestone, id="milestone-label", select_on_focus=True)
            yield Static(id="milestone-preview")
            yield Label("Note (recorded in the history with the change)")
            yield Input(placeholder="why it moved", id="milestone-note")
            yield Static(Text("Enter saves · Esc cancels", style="dim"), id="milestone-help")

    def on_mount(self) -> None:
        self._update(self.action.milestone)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "milestone-label":
            self._update(event.value)

    def _update(self, label: str) -> None:
        try:
            self.preview = preview_milestone(self.action, label, self.today)
            self.problem = None
        except InputError as error:
            self.preview, self.problem = None, str(error)
        line = self.query_one("#milestone-preview", Static)
        if self.problem is not None:
            line.update(Text(f"✖ {visible(self.problem)}", style="bold"))
            line.set_class(True, "-invalid")
        else:
            assert self.preview is not None
            mark = "·" if self.preview.unchanged else "✔"
            line.update(Text(f"{mark} {visible(self.preview.words)}"))
            line.set_class(False, "-invalid")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._update(self.query_one("#milestone-label", Input).value)
        if self.preview is None or self.preview.unchanged:
            self.app.bell()
            self.query_one("#milestone-label", Input).focus()
            return
        note = self.query_one("#milestone-note", Input).value.strip()
        self.dismiss(MilestoneEdit(self.action.ref, self.preview.label, note))

    def action_cancel(self) -> None:
        self.dismiss(None)
