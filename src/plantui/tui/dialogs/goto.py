"""Go to (`g`): a ref (`1.3`, `1.3.4.2`) or words from an action's title or leads.

A ref jumps straight there. Words list the best matches as you type (plantui.domain.search); up
and down choose one, Enter goes to it, and the main screen keeps the matches so `n` and `N` step
through the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from plantui.domain.errors import InputError
from plantui.domain.refs import is_ref, normalise_ref
from plantui.domain.search import Found, SearchIndex
from plantui.domain.text import visible
from plantui.tui.styles import sheet

SHOWN_MATCHES = 8


@dataclass(frozen=True)
class GoToChoice:
    """Where to go, and the search that found it (empty for a ref typed in full)."""

    ref: str
    query: str = ""
    matches: tuple[str, ...] = ()


def found_text(found: Found) -> Text:
    """One match as a line: its ref, then its title (or its kind and title, for a node)."""
    text = Text(f"{found.ref:<9}", style="bold", end="", no_wrap=True, overflow="ellipsis")
    if found.kind != "action":
        text.append(f"{found.kind}: ", style="dim")
    text.append(visible(found.title))
    return text


class GoToScreen(ModalScreen[GoToChoice | None]):
    CSS_PATH = sheet("goto.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Next match", show=False),
        Binding("up", "move(-1)", "Previous match", show=False),
    ]

    def __init__(self, known: Callable[[str], bool], index: SearchIndex) -> None:
        super().__init__()
        self.known = known
        self.index = index
        self.matches: list[Found] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-box"):
            yield Label("Go to a ref, or words from an action's title or leads; then Enter")
            yield Input(placeholder="e.g. 1.3, 1.3.4.2 or recruit social worker", id="goto-input")
            yield OptionList(id="goto-matches")
            yield Label("", id="goto-error")

    def on_mount(self) -> None:
        self.query_one("#goto-matches", OptionList).display = False

    @on(Input.Changed, "#goto-input")
    def _typed(self, event: Input.Changed) -> None:
        words = event.value.strip()
        self.matches = [] if not words or is_ref(words.rstrip(".")) else self.index.search(words)
        options = self.query_one("#goto-matches", OptionList)
        options.clear_options()
        options.add_options([Option(found_text(found)) for found in self.matches[:SHOWN_MATCHES]])
        options.display = bool(self.matches)
        if self.matches:
            options.highlighted = 0
        more = len(self.matches) - SHOWN_MATCHES
        error = self.query_one("#goto-error", Label)
        if words and not is_ref(words.rstrip(".")) and not self.matches:
            error.update(Text(f"Nothing in the plan matches {visible(words)!r}"))
        else:
            error.update(
                Text(f"and {more} more: n and N step through them all after Enter" if more > 0 else "")
            )

    def action_move(self, step: int) -> None:
        options = self.query_one("#goto-matches", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = (current + step) % options.option_count

    @on(OptionList.OptionSelected, "#goto-matches")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        self._go_to_match(event.option_index)

    @on(Input.Submitted, "#goto-input")
    def _entered(self, event: Input.Submitted) -> None:
        typed = event.value.strip()
        if self.matches:
            self._go_to_match(self.query_one("#goto-matches", OptionList).highlighted or 0)
            return
        try:
            ref = normalise_ref(typed)
        except InputError as error:
            self.query_one("#goto-error", Label).update(Text(str(error)))
            return
        if not self.known(ref):
            self.query_one("#goto-error", Label).update(Text(f"{ref} names nothing in this plan"))
            return
        self.dismiss(GoToChoice(ref))

    def _go_to_match(self, position: int) -> None:
        query = self.query_one("#goto-input", Input).value.strip()
        refs = tuple(found.ref for found in self.matches)
        self.dismiss(GoToChoice(refs[position], query, refs))

    def action_cancel(self) -> None:
        self.dismiss(None)
