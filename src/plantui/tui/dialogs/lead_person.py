"""The lead's person dialog (the Leads screen's `p`): who holds a lead's role now and their e-mail,
for the update round's requests. Dismisses with (person, e-mail) as typed, or None."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from plantui.domain.errors import InputError
from plantui.domain.text import visible
from plantui.store.leads import Lead, check_email
from plantui.tui.styles import sheet


class LeadPersonDialog(ModalScreen[tuple[str, str] | None]):
    """Type the person and e-mail behind one lead's role; Enter saves, Esc cancels."""

    CSS_PATH = sheet("lead_person.tcss")
    BINDINGS: ClassVar = [Binding("escape", "cancel", "Cancel", id="lead_person.cancel")]

    def __init__(self, lead: Lead, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.lead = lead

    def compose(self) -> ComposeResult:
        with Vertical(id="lead-person-dialog", classes="dialog"):
            heading = Text("Who holds ", style="bold")
            heading.append(visible(self.lead.role))
            heading.truncate(200, overflow="ellipsis")
            yield Static(heading, classes="dialog-heading")
            yield Label("Person (blank: none named)")
            yield Input(value=visible(self.lead.person), id="lead-person")
            yield Label("E-mail (for the round's request drafts; blank: none)")
            yield Input(value=visible(self.lead.email), id="lead-email", placeholder="name@example.org")
            yield Static(id="lead-person-problem", classes="dialog-problem")
            hint = Text("Tab moves · Enter saves · Esc cancels", style="dim")
            yield Static(hint, classes="dialog-help")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        email = self.query_one("#lead-email", Input).value
        try:
            check_email(email)
        except InputError as error:
            self.show_problem(str(error).replace("--email ", "e-mail: ", 1))
            return
        self.dismiss((self.query_one("#lead-person", Input).value, email))

    def show_problem(self, problem: str) -> None:
        self.query_one("#lead-person-problem", Static).update(Text(f"✖ {problem}"))

    def action_cancel(self) -> None:
        self.dismiss(None)
