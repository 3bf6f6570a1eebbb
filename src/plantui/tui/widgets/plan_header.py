"""The header and status lines: the plan's title, the "as at" date, who is recording, the totals.

The share on track is shown with BAU left out of its base, and the line says so.
"""

from __future__ import annotations

from datetime import date

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from plantui.domain.rollup import StatusCounts
from plantui.domain.text import visible
from plantui.tui import presentation as p


class OneLine(Static):
    """A line of text that is always one line high: a change repaints that line and lays nothing out."""

    _drawn: Text | None = None

    def show_text(self, text: Text) -> None:
        if text != self._drawn:  # a status change often leaves the header as it was
            self._drawn = text
            self.update(text, layout=False)


class PlanHeader(OneLine):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._title = ""
        self._today: date | None = None
        self._author = ""
        self._read_only = False
        self.counts: StatusCounts | None = None

    def set_plan(self, title: str, today: date, author: str, *, read_only: bool) -> None:
        self._title, self._today, self._author, self._read_only = title, today, author, read_only
        self._draw()

    def show(self, counts: StatusCounts) -> None:
        """The share on track goes here when the totals line below has no room left for it."""
        self.counts = counts
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        text = Text(end="", no_wrap=True, overflow="ellipsis")
        text.append(visible(self._title), style=Style(bold=True))
        text.append(f"  ·  as at {self._today.isoformat() if self._today else '?'}")
        if self._read_only:
            text.append("  ·  READ-ONLY", style=Style(bold=True, reverse=True))
        else:
            text.append("  ·  recording as ")
            text.append(visible(self._author), style=Style(italic=True))
        if self.counts is not None and self.size.width >= TotalsLine.WIDE:
            share = p.share_words(self.counts, short=True)
            if share:
                text.append(f"  ·  {share}")
        self.show_text(text)


class TotalsLine(OneLine):
    """Totals by status: with words when there is room, else symbols and numbers (legend in help)."""

    WIDE = 118

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts: StatusCounts | None = None

    def show(self, counts: StatusCounts) -> None:
        self.counts = counts
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        counts = self.counts
        if counts is None:
            return
        text = Text(end="", no_wrap=True, overflow="ellipsis")
        text.append(f"{counts.total} actions  ", style=Style(bold=True))
        wide = self.size.width >= self.WIDE
        text.append_text(p.totals_text(counts) if wide else p.counts_text(counts))
        share = "" if wide else p.share_words(counts, short=True)
        if share:
            text.append(f"  ·  {share}", style=Style(dim=True))
        self.show_text(text)
