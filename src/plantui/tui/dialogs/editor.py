"""The RAG editor: one action's status, commentary and milestone, saved together or not at all.

`1`-`6` or the arrows pick a status; the text area takes the commentary said in the room; the
milestone field shows the due date it reads as while you type, and refuses a label it cannot read
(with the reason). `ctrl+s` saves it all in one transaction: each field that changed gets its history
entry, carrying the commentary, and commentary alone is recorded as a note. Escape closes it and
writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from plantui.domain.errors import InputError
from plantui.domain.milestones import parse_milestone
from plantui.domain.statuses import STATUSES, status_for_key
from plantui.domain.text import visible
from plantui.domain.views import ActionRow
from plantui.domain.wording import day_text
from plantui.store.changes import Edit
from plantui.tui import presentation as p
from plantui.tui.styles import sheet
from plantui.tui.widgets.plan_footer import PlanFooter


@dataclass(frozen=True)
class EditRequest:
    ref: str
    status: str | None  # None: unchanged
    note: str
    milestone: str | None  # None: unchanged
    seen_status: str | None = None  # what the editor opened with: someone may change it meanwhile
    seen_milestone: str | None = None

    def change(self) -> Edit:
        """The one change the store makes of it: every field that differs, as one step."""
        return Edit(
            self.ref, self.status, self.milestone, self.note,
            expected_status=self.seen_status,
            expected_milestone=self.seen_milestone if self.milestone is not None else None,
        )  # fmt: skip


class StatusPicker(OptionList):
    """The six statuses in legend order; `1`-`6` jump to one, the arrows move."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(s.key, f"pick('{s.key}')", s.short, show=False) for s in STATUSES),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("j", "cursor_down", "Down", show=False),
    ]

    def __init__(self, current: str, *, id: str | None = None) -> None:
        options = []
        for s in STATUSES:
            prompt = Text(f"{s.key}  ", end="", no_wrap=True)
            prompt.append(p.status_words(s.code), style=p.STATUS_STYLES[s.code])
            prompt.append(f"  ({s.letter})", style=Style(dim=True))
            options.append(Option(prompt, id=s.code))
        super().__init__(*options, id=id)
        self.highlighted = next(i for i, s in enumerate(STATUSES) if s.code == current)

    @property
    def picked(self) -> str:
        return STATUSES[self.highlighted or 0].code

    def action_pick(self, key: str) -> None:
        s = status_for_key(key)
        if s is not None:
            self.highlighted = STATUSES.index(s)


class EditorScreen(ModalScreen[EditRequest | None]):
    CSS_PATH = sheet("editor.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="editor.save"),
        Binding("escape", "cancel", "Cancel", id="editor.cancel"),
        # Also here, not only on the picker: a number typed before the picker has focus still picks.
        *(Binding(s.key, f"pick('{s.key}')", s.short, show=False) for s in STATUSES),
    ]

    def __init__(self, row: ActionRow, today: date) -> None:
        super().__init__()
        self.row = row
        self.today = today

    def compose(self) -> ComposeResult:
        row = self.row
        with Vertical(id="editor-box"):
            heading = Text(f"{row.ref}  ", style=Style(bold=True), end="")
            heading.append_text(p.plain(row.title))
            yield Static(heading, id="editor-heading")
            with VerticalScroll(id="editor-fields", can_focus=False):
                # Status and commentary side by side, so the milestone and its check fit in 24 rows.
                with Horizontal(id="editor-top"):
                    with Vertical(id="editor-status-column"):
                        yield Label("Status (1-6 or arrows)", classes="editor-label")
                        yield StatusPicker(row.status, id="editor-status")
                    with Vertical(id="editor-note-column"):
                        yield Label("Commentary (kept in the history)", classes="editor-label")
                        yield TextArea(
                            id="editor-note", soft_wrap=True, show_line_numbers=False, tab_behavior="focus"
                        )
                yield Static(id="editor-status-words")
                yield Label(
                    "Milestone (e.g. March 2023, Ongoing, April 2023 onwards)", classes="editor-label"
                )
                yield Input(value=visible(row.milestone), id="editor-milestone", select_on_focus=False)
                yield Static(id="editor-due")
        yield PlanFooter()

    def on_mount(self) -> None:
        self.query_one("#editor-box").border_title = "Edit action"
        self.query_one("#editor-box").border_subtitle = "ctrl+s save · esc cancel"
        self._show_due(self.query_one("#editor-milestone", Input).value)
        self.set_focus(self.query_one("#editor-status", StatusPicker))

    @on(OptionList.OptionHighlighted, "#editor-status")
    def _status_picked(self, event: OptionList.OptionHighlighted) -> None:
        picked = STATUSES[event.option_index]
        words = Text(f"{picked.symbol} {picked.label}", style=p.STATUS_STYLES[picked.code])
        if picked.code != self.row.status:
            words.append(f"   (now {p.status_words(self.row.status)})", style=Style(dim=True))
        self.query_one("#editor-status-words", Static).update(words)

    @on(Input.Changed, "#editor-milestone")
    def _milestone_changed(self, event: Input.Changed) -> None:
        self._show_due(event.value)

    def _show_due(self, label: str) -> bool:
        """Show what the label reads as; False when it cannot be read."""
        out = self.query_one("#editor-due", Static)
        try:
            milestone = parse_milestone(label)
        except InputError as error:
            out.update(Text(f"✖ {error}", style=Style(color="#ef4444", bold=True)))
            return False
        if milestone.due is None:
            out.update(Text("↻ no due date: ongoing"))
        else:
            words = f"due {day_text(milestone.due)}"
            if milestone.onwards:
                words += ", continuing after"
            out.update(Text(f"✔ {words}"))
        return True

    def _milestone_value(self) -> str | None:
        value = self.query_one("#editor-milestone", Input).value
        unchanged = " ".join(value.split()) == " ".join(self.row.milestone.split())
        return None if unchanged else value

    def action_save(self) -> None:
        milestone = self._milestone_value()
        if milestone is not None and not self._show_due(milestone):
            try:
                parse_milestone(milestone)
            except InputError as error:
                self.notify(f"Not saved: {error}", severity="error")
            self.set_focus(self.query_one("#editor-milestone", Input))
            return
        code = self.query_one("#editor-status", StatusPicker).picked
        note = self.query_one("#editor-note", TextArea).text
        if code == self.row.status and milestone is None and not note.strip():
            self.notify("Nothing to save: the status, milestone and commentary are as they were", timeout=3)
            self.dismiss(None)
            return
        # A field left as it was is not sent: a colleague's change to it meanwhile stands.
        chosen = code if code != self.row.status else None
        row = self.row
        self.dismiss(EditRequest(row.ref, chosen, note, milestone, row.status, row.milestone))

    def action_pick(self, key: str) -> None:
        self.query_one("#editor-status", StatusPicker).action_pick(key)

    def action_cancel(self) -> None:
        self.dismiss(None)
