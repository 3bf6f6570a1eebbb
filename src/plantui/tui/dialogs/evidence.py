"""The evidence dialog: what shows an action made a difference, where it is, and the day it is from.

It does no database work: it checks what was typed with the same rules the store applies
(`plantui.domain.evidence`), says what is wrong in one line, and dismisses with an `AddEvidence`
for the caller to save through the session (or None on Escape).
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

from plantui.domain.action_text import TextFieldError
from plantui.domain.errors import InputError
from plantui.domain.evidence import clean_evidence_link, clean_evidence_text, impact_words
from plantui.domain.text import visible
from plantui.domain.views import ActionRow
from plantui.domain.wording import plural
from plantui.store.changes import AddEvidence
from plantui.tui.day_input import read_day
from plantui.tui.styles import sheet


class EvidenceDialog(ModalScreen[AddEvidence | None]):
    """Record evidence of impact against one action. Dismisses with the request, or None."""

    CSS_PATH = sheet("evidence.tcss")
    BINDINGS: ClassVar = [Binding("escape", "cancel", "Cancel", id="evidence.cancel")]

    def __init__(self, action: ActionRow, today: date, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.action = action
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="evidence-dialog", classes="dialog"):
            heading = Text.assemble(("Evidence of impact  ", "bold"), (self.action.ref, "bold"), " ")
            heading.append(visible(self.action.title))
            heading.truncate(200, overflow="ellipsis")
            yield Static(heading, classes="dialog-heading")
            pieces = plural(self.action.evidence, "piece")
            now = f"Now: {impact_words(self.action.impact)} · {pieces} of evidence"
            yield Static(Text(now, style="dim"), id="evidence-now")
            yield Label("What shows it made a difference")
            yield Input(id="evidence-text", placeholder="e.g. Re-referrals down from 27% to 21% (audit)")
            yield Label("Where it is: a web address or file path (optional)")
            yield Input(id="evidence-link", placeholder="e.g. S:\\QA\\Audits\\October.docx")
            yield Label("The day it is from (YYYY-MM-DD)")
            yield Input(self.today.isoformat(), id="evidence-date")
            yield Static(id="evidence-problem", classes="dialog-problem")
            yield Static(
                Text("Enter saves · Tab next field · Esc cancels", style="dim"), classes="dialog-help"
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            text = clean_evidence_text(self.query_one("#evidence-text", Input).value)
            link = clean_evidence_link(self.query_one("#evidence-link", Input).value)
            day = read_day(self.query_one("#evidence-date", Input).value, field="date")
        except (TextFieldError, InputError) as problem:
            self.query_one("#evidence-problem", Static).update(Text(f"✖ {visible(str(problem))}"))
            return
        self.dismiss(AddEvidence(self.action.ref, text, link, day))

    def action_cancel(self) -> None:
        self.dismiss(None)
