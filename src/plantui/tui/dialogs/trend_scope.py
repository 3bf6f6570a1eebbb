"""Choosing what the Trends screen counts: the whole plan, a theme or an area.

`TrendScopeDialog(nodes, current)` lists the whole plan, then the themes and areas given (in plan
order, areas indented under their theme), the current one highlighted. It dismisses with the chosen
ref ("" for the whole plan), or None on Escape.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from plantui.domain.text import visible
from plantui.domain.views import NodeInfo
from plantui.tui.styles import sheet

PLAN_OPTION = "scope-plan"
LINE_WIDTH = 64  # what the 72-column dialog has room for inside its border and padding


def option_id(ref: str) -> str:
    return f"scope-{ref}" if ref else PLAN_OPTION


class TrendScopeDialog(ModalScreen[str | None]):
    """Pick a scope; Enter or a click takes it, Escape cancels."""

    CSS_PATH = sheet("trend_scope.tcss")
    AUTO_FOCUS = "#trend-scope-list"
    BINDINGS: ClassVar = [Binding("escape", "cancel", "Cancel", id="trend_scope.cancel")]

    def __init__(self, nodes: Sequence[NodeInfo], current: str, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.nodes = tuple(nodes)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Trends of…", style="bold"), classes="dialog-heading")
            options = [Option(Text("Whole plan", style="bold"), id=PLAN_OPTION)]
            for node in self.nodes:
                indent = "" if node.kind == "theme" else "  "
                label = f"{indent}{node.kind.capitalize()} {node.ref}  "
                title = " ".join(visible(node.title).split())
                room = LINE_WIDTH - len(label)  # one line each: a long title ends in …
                line = Text(label, style="bold" if not indent else "")
                line.append(title if len(title) <= room else title[: room - 1] + "…")
                options.append(Option(line, id=option_id(node.ref)))
            yield OptionList(*options, id="trend-scope-list")
            yield Static(Text("Enter shows it · Esc cancels", style="dim"), classes="dialog-help")

    def on_mount(self) -> None:
        listing = self.query_one("#trend-scope-list", OptionList)
        try:
            listing.highlighted = listing.get_option_index(option_id(self.current))
        except OptionDoesNotExist:  # a scope the list does not offer (an objective): start at the top
            listing.highlighted = 0

    @on(OptionList.OptionSelected, "#trend-scope-list")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option = event.option.id or PLAN_OPTION
        self.dismiss("" if option == PLAN_OPTION else option.removeprefix("scope-"))

    def action_cancel(self) -> None:
        self.dismiss(None)
