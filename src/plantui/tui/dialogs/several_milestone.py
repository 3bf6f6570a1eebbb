"""The milestone editor for the marked actions: one new label (and a note) for them all.

`SeveralMilestoneDialog(rows, today)` is the milestone editor (`MilestoneDialog`, whose look it keeps)
over several actions: it names how many, shows the milestones they have now, and as the label is
typed the due date it reads as; a label that cannot be read shows the reason and is not accepted.
It does no database work: it dismisses with a `SeveralMilestone` for the main screen to save as one
step, or None on Escape.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from plantui.domain.errors import InputError
from plantui.domain.milestones import parse_milestone
from plantui.domain.text import visible
from plantui.domain.views import ActionRow
from plantui.domain.wording import day_text, plural
from plantui.tui.dialogs.milestone import MilestoneDialog


@dataclass(frozen=True, slots=True)
class SeveralMilestone:
    label: str  # readable: it has been through `parse_milestone`
    note: str


def _now_words(rows: list[ActionRow]) -> str:
    """The milestones the actions have now, the commonest first: `Now: September 2022 (2), March 2023`."""
    counts = Counter(" ".join(row.milestone.split()) or "(none)" for row in rows)
    shown = [f"{visible(label)} ({n})" if n > 1 else visible(label) for label, n in counts.most_common(4)]
    more = f" and {len(counts) - 4} more" if len(counts) > 4 else ""
    return f"Now: {', '.join(shown)}{more}"


class SeveralMilestoneDialog(MilestoneDialog):
    """Move the marked actions' milestone. Dismisses with a `SeveralMilestone`, or None."""

    def __init__(self, rows: list[ActionRow], today: date) -> None:
        super().__init__(rows[0], today)
        self.rows = rows
        self.label: str | None = None  # the label as read, when it can be

    def compose(self) -> ComposeResult:
        heading = Text("Move milestone  ", style="bold", end="")
        heading.append(f"of the {plural(len(self.rows), 'marked action')}")
        labels = {" ".join(row.milestone.split()) for row in self.rows}
        start = labels.pop() if len(labels) == 1 else ""
        with Vertical(id="milestone-dialog", classes="dialog"):
            yield Static(heading, id="milestone-heading")
            yield Static(Text(_now_words(self.rows)), id="milestone-current")
            yield Label("New milestone for them all (e.g. March 2023, 31/03/2023, Ongoing)")
            yield Input(value=start, id="milestone-label", select_on_focus=True)
            yield Static(id="milestone-preview")
            yield Label("Note (recorded in the history with each change)")
            yield Input(placeholder="why they moved", id="milestone-note")
            yield Static(Text("Enter saves · Esc cancels", style="dim"), id="milestone-help")

    def on_mount(self) -> None:
        self._update(self.query_one("#milestone-label", Input).value)

    def _update(self, label: str) -> None:
        line = self.query_one("#milestone-preview", Static)
        try:
            milestone = parse_milestone(label)
        except InputError as error:
            self.label = None
            line.update(Text(f"✖ {visible(str(error))}", style="bold"))
            line.set_class(True, "-invalid")
            return
        self.label = " ".join(label.split())
        due = f"due {day_text(milestone.due)}" if milestone.due is not None else "no due date: ongoing"
        already = sum(1 for row in self.rows if " ".join(row.milestone.split()) == self.label)
        words = f"✔ {due}" + (f" · {already} already at it" if already else "")
        line.update(Text(words))
        line.set_class(False, "-invalid")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._update(self.query_one("#milestone-label", Input).value)
        if self.label is None:
            self.app.bell()
            self.query_one("#milestone-label", Input).focus()
            return
        note = self.query_one("#milestone-note", Input).value.strip()
        self.dismiss(SeveralMilestone(self.label, note))  # type: ignore[arg-type]
