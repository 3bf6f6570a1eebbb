"""The saved views' dialogs: the picker (`v`) and the name asked for by "Save view…".

The picker lists the plan's views numbered as `plantui view list` numbers them; a digit 1-9 (or
Enter on the highlighted one) recalls a view, `d` deletes the highlighted one after a yes, `s` saves
what the table shows as a new view. It only chooses: the main screen's keeper
(`plantui.tui.saved_views`) does the store work. Names and filters are plan text: shown as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from plantui.domain.errors import InputError
from plantui.domain.saved_views import SavedView, checked_name
from plantui.domain.text import visible
from plantui.tui.styles import sheet

NUMBERED = 9  # views beyond the ninth are reached with the arrows and Enter


@dataclass(frozen=True)
class ViewPick:
    """What the picker was asked to do: "recall" or "delete" `view`, or "save" the table's view."""

    action: str
    view: SavedView | None = None


def view_line(number: int, view: SavedView) -> Text:
    """ "1  Exceptions   exceptions · whole plan · worst first" """
    text = Text(f"{number if number <= NUMBERED else ' '} ", style="bold", end="", no_wrap=True)
    text.append(f"{visible(view.name):<24} ", style="bold")
    text.append(view.describe(), style="dim")
    text.overflow = "ellipsis"
    return text


class ViewPicker(ModalScreen[ViewPick | None]):
    CSS_PATH = sheet("saved_views.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"recall({n})", show=False) for n in range(1, NUMBERED + 1)),
        Binding("d,delete", "delete", "Delete", id="views.delete"),
        Binding("s", "save", "Save the table's view", id="views.save"),
        Binding("escape,v", "close", "Close", id="views.close"),
    ]

    def __init__(self, views: list[SavedView]) -> None:
        super().__init__()
        self.views = views

    def compose(self) -> ComposeResult:
        with Vertical(id="views-box", classes="dialog"):
            yield Static(Text("Saved views", style="bold"), classes="dialog-heading")
            yield OptionList(
                *(Option(view_line(n, view)) for n, view in enumerate(self.views, start=1)), id="views-list"
            )
            if not self.views:
                yield Label("No saved views yet: s saves what the table shows now.", id="views-empty")
            yield Static(
                Text("1-9 or Enter recall · d delete · s save the table's view · Esc close", style="dim"),
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        options = self.query_one("#views-list", OptionList)
        options.display = bool(self.views)
        if self.views:
            options.highlighted = 0
            self.set_focus(options)

    def action_recall(self, number: int) -> None:
        if 1 <= number <= len(self.views):
            self.dismiss(ViewPick("recall", self.views[number - 1]))
        else:
            self.notify(f"No view numbered {number}", severity="warning", timeout=3)

    @on(OptionList.OptionSelected, "#views-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(ViewPick("recall", self.views[event.option_index]))

    def action_delete(self) -> None:
        from plantui.tui.dialogs.confirm import ConfirmDialog

        highlighted = self.query_one("#views-list", OptionList).highlighted
        if highlighted is None or not self.views:
            return
        view = self.views[highlighted]

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(ViewPick("delete", view))

        question = ConfirmDialog(
            f"Delete the view {visible(view.name)!r}?",
            f"It shows {view.describe()}. It goes for everyone who shares this plan.",
            "Delete it?",
        )
        self.app.push_screen(question, answered)

    def action_save(self) -> None:
        self.dismiss(ViewPick("save"))

    def action_close(self) -> None:
        self.dismiss(None)


class ViewNameDialog(ModalScreen[str | None]):
    """Asks the name to save the table's view under; Enter saves, Escape does not."""

    CSS_PATH = sheet("saved_views.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, view: SavedView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        with Vertical(id="view-name-box", classes="dialog"):
            yield Static(Text("Save view", style="bold"), classes="dialog-heading")
            yield Static(Text(f"What the table shows: {self.view.describe()}"), id="view-name-what")
            yield Label("Name")
            yield Input(value=self.view.name, placeholder="e.g. Off track in 2.1", id="view-name-input")
            yield Static("", id="view-name-problem", classes="dialog-problem")
            yield Static(Text("Enter save · Esc cancel", style="dim"), classes="dialog-help")

    @on(Input.Submitted, "#view-name-input")
    def _entered(self, event: Input.Submitted) -> None:
        try:
            name = checked_name(event.value)
        except InputError as error:
            self.query_one("#view-name-problem", Static).update(Text(str(error)))
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
