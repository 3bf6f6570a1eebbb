"""The `/` box of a screen that filters a table (the main screen's actions, the scorecard's measures)."""

from __future__ import annotations

from textual.widgets import Input


class FilterBox(Input):
    """The `/` box. Out of the Tab order, so Tab moves between the panes; `/` or a click reaches it."""

    def on_mount(self) -> None:
        self.can_focus = False

    def open(self) -> None:
        self.can_focus = True
        self.screen.set_focus(self)

    def on_blur(self) -> None:
        self.can_focus = False

    def on_click(self) -> None:
        if not self.has_focus:
            self.open()
