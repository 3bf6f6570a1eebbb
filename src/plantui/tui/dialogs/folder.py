"""The folder dialog: where the workbench writes exports and board reports, chosen once and kept in
the user's settings (palette: "Folder for exports and reports…")."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from plantui.domain.errors import InputError
from plantui.domain.text import visible
from plantui.tui.styles import sheet


class FolderDialog(ModalScreen[Path | None]):
    """Type a folder. `choose` makes and remembers it, or raises an `InputError` shown in the dialog;
    dismisses with the folder chosen, or None."""

    CSS_PATH = sheet("folder.tcss")
    BINDINGS: ClassVar = [Binding("escape", "cancel", "Cancel", id="folder.cancel")]

    def __init__(self, current: Path, choose: Callable[[Path], Path], *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.current = current
        self.choose = choose

    def compose(self) -> ComposeResult:
        with Vertical(id="folder-dialog", classes="dialog"):
            yield Static(Text("Folder for exports and reports", style="bold"), classes="dialog-heading")
            yield Label("Every export and board report from the workbench goes here; remembered")
            yield Input(value=str(self.current), id="folder-path")
            yield Static(id="folder-problem", classes="dialog-problem")
            hint = Text("Enter chooses (made if missing) · Esc cancels", style="dim")
            yield Static(hint, classes="dialog-help")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value.strip()
        problem = self.query_one("#folder-problem", Static)
        if not typed:
            problem.update(Text("✖ folder: type a folder, or Esc"))
            return
        try:
            chosen = self.choose(Path(typed))
        except InputError as error:
            problem.update(Text(f"✖ {visible(str(error))}"))
            return
        self.dismiss(chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)
