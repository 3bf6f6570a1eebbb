"""The text editor (`E`): one action's title, success measures, detailed plan and leads.

The title is one line; the success measures and the detailed plan are text areas; the leads are one
name a line (a name can hold commas, brackets, "&" and "/", never a line break), and the field below
them adds a lead, suggesting the plan's own leads as you type (Enter adds it; a name new to the plan
is added as typed). `ctrl+s` checks every field the way the store will (an empty title, a control
character, a text far too long: said on the dialog's own problem line, which keeps it open) and
hands back one `Edit` of the texts that changed, each with what the dialog opened with, so a
colleague's change meanwhile is reported. Escape closes it and writes nothing.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static, TextArea

from plantui.domain.action_text import TextFieldError, clean_block, clean_lead, clean_leads, clean_title
from plantui.domain.text import visible, visible_block
from plantui.domain.views import ActionRow
from plantui.store.changes import Edit, TextChange
from plantui.tui import presentation as p
from plantui.tui.styles import sheet
from plantui.tui.widgets.plan_footer import PlanFooter


def _lines(text: str) -> list[str]:
    return [line for line in (" ".join(raw.split()) for raw in text.split("\n")) if line]


class TextEditorScreen(ModalScreen[Edit | None]):
    """Edit one action's texts. Dismisses with the `Edit` of what changed, or None."""

    CSS_PATH = sheet("text_editor.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="text_editor.save"),
        Binding("escape", "cancel", "Cancel", id="text_editor.cancel"),
    ]

    def __init__(self, row: ActionRow, plan_leads: list[str]) -> None:
        super().__init__()
        self.row = row
        self.plan_leads = plan_leads
        # What each field opened with, as shown: a field left so is not sent.
        self.shown = {
            "title": visible(row.title),
            "success_measures": visible_block(row.success_measures),
            "detailed_plan": visible_block(row.detailed_plan),
            "leads": "\n".join(visible(lead) for lead in row.leads),
        }

    def compose(self) -> ComposeResult:
        row, shown = self.row, self.shown
        with Vertical(id="text-editor-box"):
            heading = Text(f"{row.ref}  ", style=Style(bold=True), end="")
            heading.append_text(p.plain(row.title))
            yield Static(heading, id="text-editor-heading")
            with VerticalScroll(id="text-editor-fields", can_focus=False):
                yield Label("Title", classes="text-editor-label")
                yield Input(value=shown["title"], id="text-editor-title", select_on_focus=False)
                yield Label("Success measures", classes="text-editor-label")
                yield self._area(shown["success_measures"], "text-editor-measures")
                yield Label("Detailed plan", classes="text-editor-label")
                yield self._area(shown["detailed_plan"], "text-editor-plan")
                yield Label("Leads (one name a line, in order)", classes="text-editor-label")
                yield self._area(shown["leads"], "text-editor-leads")
                yield Input(
                    id="text-editor-add-lead",
                    placeholder="Add a lead: type a name (the plan's leads are suggested), Enter",
                    suggester=SuggestFromList(self.plan_leads, case_sensitive=False),
                )
            yield Static(id="text-editor-problem", classes="dialog-problem")
        yield PlanFooter()

    @staticmethod
    def _area(text: str, widget_id: str) -> TextArea:
        return TextArea(text, id=widget_id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus")

    def on_mount(self) -> None:
        box = self.query_one("#text-editor-box")
        box.border_title = "Edit the text"
        box.border_subtitle = "ctrl+s save · esc cancel"
        self.query_one("#text-editor-title", Input).focus(scroll_visible=False)
        # On a short screen (80x24) the fields scroll: start at the top, with the "Title" label in view.
        fields = self.query_one("#text-editor-fields", VerticalScroll)
        self.call_after_refresh(fields.scroll_home, animate=False)

    @on(Input.Submitted, "#text-editor-add-lead")
    def _add_lead(self, event: Input.Submitted) -> None:
        event.stop()
        leads_area = self.query_one("#text-editor-leads", TextArea)
        try:
            name = clean_lead(event.value)
        except TextFieldError as error:
            self._say(str(error))
            return
        names = _lines(leads_area.text)
        if name in names:
            self._say(f"leads: {name!r} is already a lead of {self.row.ref}")
            return
        leads_area.text = "\n".join([*names, name])
        event.input.value = ""
        self._say("")

    @on(Input.Submitted, "#text-editor-title")
    def _title_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def _say(self, problem: str) -> None:
        words = Text(f"✖ {visible(problem)}") if problem else Text("")
        self.query_one("#text-editor-problem", Static).update(words)

    def _changes(self) -> list[TextChange]:
        """Every field that differs from what the dialog opened with, cleaned as the store will clean
        it; a `TextFieldError` for the first field it would refuse."""
        row, shown = self.row, self.shown
        changes: list[TextChange] = []
        title = self.query_one("#text-editor-title", Input).value
        if title != shown["title"]:
            changes.append(TextChange("title", clean_title(title), expected=row.title))
        for field, widget_id, before in (
            ("success_measures", "#text-editor-measures", row.success_measures),
            ("detailed_plan", "#text-editor-plan", row.detailed_plan),
        ):
            text = self.query_one(widget_id, TextArea).text
            if text != shown[field]:
                cleaned = clean_block(text, field)
                if cleaned != before:
                    changes.append(TextChange(field, cleaned, expected=before))
        leads_text = self.query_one("#text-editor-leads", TextArea).text
        if _lines(leads_text) != _lines(shown["leads"]):
            leads = clean_leads(_lines(leads_text))
            if leads != row.leads:
                changes.append(TextChange("leads", leads, expected=row.leads))
        return changes

    def action_save(self) -> None:
        pending = self.query_one("#text-editor-add-lead", Input).value.strip()
        if pending:
            self._say(f"leads: press Enter to add {pending!r}, or clear the field")
            return
        try:
            changes = self._changes()
        except TextFieldError as error:
            self._say(str(error))
            return
        if not changes:
            self.notify("Nothing to save: the text is as it was", timeout=3)
            self.dismiss(None)
            return
        self.dismiss(Edit(self.row.ref, texts=tuple(changes)))

    def action_cancel(self) -> None:
        self.dismiss(None)
