"""Every change to the plan since a day or the last board meeting, newest first.

`ChangesScreen(entries, label)` lists `changes_since(...)` (oldest first, as the store returns them)
newest first: when, who, the ref and title, what moved (statuses with symbols, words and a better or
worse arrow) and the note. `label` says since when ("since the last meeting, 'October Board'
(2022-10-05)", from `store.as_at.resolve_since(...).label`). It dismisses with None. The question
"since when?" is `tui.dialogs.changes_since`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from plantui.domain.movement import Direction, direction
from plantui.domain.text import visible
from plantui.domain.views import HistoryEntry
from plantui.domain.wording import plural
from plantui.tui.change_lines import change_block
from plantui.tui.styles import sheet
from plantui.tui.widgets.plan_footer import PlanFooter


def tally_text(entries: Sequence[HistoryEntry], label: str) -> Text:
    live = [e for e in entries if e.undoes_id is None]
    moves = [direction(e.old, e.new) for e in live if e.field == "status" and e.old and e.new]
    actions = len({e.action_ref for e in entries})
    text = Text(f"Changes {visible(label)}", style="bold")
    text.append(
        f"  ·  {plural(len(entries), 'change')} to "
        f"{plural(actions, 'action')}  ·  "
        f"{len(moves)} status: ↑ {moves.count(Direction.BETTER)} better, "
        f"↓ {moves.count(Direction.WORSE)} worse"
    )
    undos = len(entries) - len(live)
    if undos:
        text.append(f"  ·  {plural(undos, 'undo')}")
    return text


class ChangesScreen(Screen[None]):
    """The changes since a moment, newest first. Read-only; dismisses with None."""

    CSS_PATH = sheet("changes.tcss")
    AUTO_FOCUS = "#changes-body"
    BINDINGS: ClassVar = [
        Binding("escape", "close", "Back", id="changes.close"),
        Binding("j", "scroll(1)", "Down", id="changes.down", show=False),
        Binding("k", "scroll(-1)", "Up", id="changes.up", show=False),
    ]

    def __init__(self, entries: Sequence[HistoryEntry], label: str, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.entries = tuple(sorted(entries, key=lambda e: (e.at, e.id), reverse=True))
        self.label = label

    def compose(self) -> ComposeResult:
        yield Static(tally_text(self.entries, self.label), id="changes-heading")
        with VerticalScroll(id="changes-body", can_focus=True):
            yield Static(self._body(), id="changes-list")
        yield PlanFooter()

    def _body(self) -> Text:
        if not self.entries:
            return Text(f"No changes {visible(self.label)}.", style="italic")
        blocks = []
        for entry in self.entries:
            block = change_block(entry)
            if entry.meeting_id is not None:
                block.append(f"\n    in meeting {entry.meeting_id}", style="dim")
            blocks.append(block)
        return Text("\n").join(blocks)

    def action_scroll(self, lines: int) -> None:
        self.query_one("#changes-body", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
