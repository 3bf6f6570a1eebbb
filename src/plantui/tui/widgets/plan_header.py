"""The header and status lines: the plan's title, the "as at" date, who is recording, the board
meeting changes are being recorded in (while one is open), the totals.

The share on track is shown with BAU left out of its base, and the line says so.
"""

from __future__ import annotations

from datetime import date

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from plantui.domain.rollup import StatusCounts
from plantui.domain.text import visible
from plantui.domain.wording import day_text, plural
from plantui.tui import presentation as p


class OneLine(Static):
    """A line of text that is always one line high: a change repaints that line and lays nothing out."""

    _drawn: Text | None = None

    def show_text(self, text: Text) -> None:
        if text != self._drawn:  # a status change often leaves the header as it was
            self._drawn = text
            self.update(text, layout=False)


class _WidthAwareLine(OneLine):
    """A one-line widget whose words depend on its width: its text is made when it is drawn, when the
    width is known, so the first frame already has the right form (made when the values arrive, at
    mount, it was the narrow form for a frame and then the wide one)."""

    def on_resize(self) -> None:
        self.refresh()

    def render(self) -> Text:
        return self.line(self.size.width)

    def line(self, width: int) -> Text:
        raise NotImplementedError


class PlanHeader(_WidthAwareLine):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._title = ""
        self._organisation = ""
        self._today: date | None = None
        self._author = ""
        self._read_only = False
        self._meeting: str | None = None
        self.counts: StatusCounts | None = None

    def set_plan(
        self, title: str, today: date, author: str, *, read_only: bool, organisation: str = ""
    ) -> None:
        plan = (title, organisation, today, author, read_only)
        if plan != (self._title, self._organisation, self._today, self._author, self._read_only):
            self._title, self._organisation, self._today, self._author, self._read_only = plan
            self.refresh()

    def set_meeting(self, name: str | None) -> None:
        """The open board meeting every change is recorded in (None: none is open)."""
        if name != self._meeting:
            self._meeting = name
            self.refresh()

    def show(self, counts: StatusCounts) -> None:
        """The share on track goes here when the totals line below has no room left for it."""
        if counts != self.counts:  # a status change often leaves the header as it was
            self.counts = counts
            self.refresh()

    def line(self, width: int) -> Text:
        text = self._line(width, with_organisation=bool(self._organisation))
        if text.cell_len > width and self._organisation:
            return self._line(width, with_organisation=False)  # who is recording matters more
        return text

    def _line(self, width: int, *, with_organisation: bool) -> Text:
        text = Text(end="", no_wrap=True, overflow="ellipsis")
        text.append(visible(self._title), style=Style(bold=True))
        if with_organisation:
            text.append(f"  ·  {visible(self._organisation)}")
        text.append(f"  ·  as at {day_text(self._today) if self._today else '?'}")
        if self._meeting is not None:
            # Early in the line, so a narrow screen still shows it: every change now goes into the meeting.
            text.append("  ·  ")
            text.append(f"● MEETING OPEN: {visible(self._meeting)}", style=Style(bold=True, reverse=True))
        if self._read_only:
            text.append("  ·  READ-ONLY", style=Style(bold=True, reverse=True))
        else:
            text.append("  ·  recording as ")
            text.append(visible(self._author), style=Style(italic=True))
        if self.counts is not None and width >= TotalsLine.WIDE:
            share = p.share_words(self.counts, short=True)
            if share:
                text.append(f"  ·  {share}")
        return text


class TotalsLine(_WidthAwareLine):
    """Totals by status: with words when there is room, else symbols and numbers (legend in help).

    Once any action's impact is evidenced, the line counts the delivered (complete) and the impact
    evidenced apart: `✔ 49 delivered · ◆ 3 impact evidenced`, in the short form when the long one
    leaves no room for it."""

    WIDE = 118

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts: StatusCounts | None = None
        self.impact_evidenced = 0

    def show(self, counts: StatusCounts, impact_evidenced: int = 0) -> None:
        if (counts, impact_evidenced) != (self.counts, self.impact_evidenced):
            self.counts, self.impact_evidenced = counts, impact_evidenced
            self.refresh()

    def line(self, width: int) -> Text:
        wide = width >= self.WIDE
        if not wide:  # the short counts, ◆ N, then the share on track (the header has no room for it)
            return self._line(wide=False, share=True, impact=f"◆ {self.impact_evidenced} impact evidenced")
        impact = p.impact_counts_words(self.counts, self.impact_evidenced) if self.counts else ""
        text = self._line(wide=True, share=False, impact=impact)
        if self.impact_evidenced and text.cell_len > width:
            return self._line(wide=False, share=False, impact=impact)  # room for the impact evidenced
        return text

    def _line(self, *, wide: bool, share: bool, impact: str) -> Text:
        counts = self.counts
        text = Text(end="", no_wrap=True, overflow="ellipsis")
        if counts is None:
            return text
        text.append(f"{plural(counts.total, 'action')}  ", style=Style(bold=True))
        text.append_text(p.totals_text(counts) if wide else p.counts_text(counts))
        if self.impact_evidenced:
            text.append(f"  ·  {impact}")
        words = p.share_words(counts, short=True) if share else ""
        if words:
            text.append(f"  ·  {words}", style=Style(dim=True))
        return text
