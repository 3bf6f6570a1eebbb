"""Go to a ref: a one-line prompt (`g`) that takes `1.3`, `1.3.4` or `1.3.4.2` and jumps there."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from plantui.domain.errors import InputError
from plantui.domain.refs import normalise_ref
from plantui.tui.styles import sheet


class GoToScreen(ModalScreen[str | None]):
    CSS_PATH = sheet("goto.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, known: Callable[[str], bool]) -> None:
        super().__init__()
        self.known = known

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-box"):
            yield Label("Go to ref (theme, area, objective or action), then Enter")
            yield Input(placeholder="e.g. 1.3 or 1.3.4.2", id="goto-input")
            yield Label("", id="goto-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            ref = normalise_ref(event.value)
        except InputError as error:
            self.query_one("#goto-error", Label).update(Text(str(error)))
            return
        if not self.known(ref):
            self.query_one("#goto-error", Label).update(Text(f"{ref} names nothing in this plan"))
            return
        self.dismiss(ref)

    def action_cancel(self) -> None:
        self.dismiss(None)
