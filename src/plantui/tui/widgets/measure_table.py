"""The scorecard's table of measures: a line-API widget that draws only the rows in view.

Textual's DataTable measures every cell of every row when rows are added, which took most of the
scorecard's time to open with 500 measures; this one is handed the rows and a function that makes a
row's cells, and makes them only for the lines it draws (kept until the rows or the width change).
The header is line 0 and stays put; the cursor row carries ▸ (the colour alone goes with NO_COLOR);
a click on a header asks the screen to sort by that column (`HeaderClicked`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar, Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from plantui.tui.widgets.line_cursor import CURSOR_BINDINGS, LineCursor

CURSOR_MARK = "▸"
Item = TypeVar("Item")


class MeasureTable(LineCursor, ScrollView, Generic[Item], can_focus=True):
    """Rows of `Item`, each drawn by `cells(item)` into the columns given as (key, label, width)."""

    BINDINGS: ClassVar[list[BindingType]] = [*CURSOR_BINDINGS]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "measure-table--header",
        "measure-table--cursor",
        "measure-table--cursor-blurred",
    }

    class CursorMoved(Message):
        def __init__(self, table: MeasureTable, position: int) -> None:
            super().__init__()
            self.table = table
            self.position = position

        @property
        def control(self) -> MeasureTable:
            return self.table

    class HeaderClicked(Message):
        def __init__(self, table: MeasureTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> MeasureTable:
            return self.table

    def __init__(
        self, cells: Callable[[Item], Sequence[Text]], *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.cells = cells
        self.columns: list[tuple[str, str, int]] = []
        self.items: list[Item] = []
        self.cursor = 0
        self._lines: dict[tuple[int, bool], Strip] = {}  # (position, on cursor) -> the drawn line
        self._header: Strip | None = None
        self._base: Style | None = None

    # --- data -----------------------------------------------------------------------------------------

    def set_rows(self, columns: list[tuple[str, str, int]], items: Sequence[Item], cursor: int = 0) -> None:
        """Show `items` in `columns`, the cursor on position `cursor`."""
        self.columns = columns
        self.items = list(items)
        self._lines.clear()
        self._header = None
        self.virtual_size = Size(0, len(self.items) + 1)  # the screen fits the columns to its width
        self.cursor = -1
        self._move(cursor)
        self.refresh()

    @property
    def current(self) -> Item | None:
        return self.items[self.cursor] if 0 <= self.cursor < len(self.items) else None

    # --- cursor ---------------------------------------------------------------------------------------

    def cursor_at(self) -> int:
        return self.cursor

    def line_count(self) -> int:
        return len(self.items)

    def _rows_in_view(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)  # the header stays put

    def _move(self, line: int, *, center: bool = False) -> None:
        old = self.cursor
        self.cursor = max(0, min(line, len(self.items) - 1)) if self.items else 0
        if old != self.cursor:
            self._refresh_position(old)
            self._refresh_position(self.cursor)
            self.post_message(self.CursorMoved(self, self.cursor))
        self._scroll_to_cursor(center)

    def _refresh_position(self, position: int) -> None:
        y = position - round(self.scroll_y) + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def on_focus(self) -> None:
        self._redraw_cursor()

    def on_blur(self) -> None:
        self._redraw_cursor()

    def _redraw_cursor(self) -> None:
        self._lines.pop((self.cursor, True), None)
        self._refresh_position(self.cursor)

    def on_resize(self, _event: events.Resize) -> None:
        self._scroll_to_cursor()

    # --- mouse ----------------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            edge = 1
            for key, _label, width in self.columns:
                if edge <= offset.x < edge + width:
                    self.post_message(self.HeaderClicked(self, key))
                    return
                edge += width
            return
        position = round(self.scroll_y) + offset.y - 1
        if 0 <= position < len(self.items):
            self._move(position)

    # --- drawing --------------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()
        self._header = None
        self._base = None

    def _base_style(self) -> Style:
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._base_style()
        if y == 0:
            if self._header is None:
                style = base + self.get_component_rich_style("measure-table--header")
                segments = [Segment(" ", style)]
                for _key, label, column_width in self.columns:
                    segments.append(Segment(_fit(label, column_width), style))
                self._header = Strip(segments)
            return self._header.crop_extend(0, width, base)
        position = round(self.scroll_y) + y - 1
        if position >= len(self.items):
            return Strip.blank(width, base)
        on_cursor = position == self.cursor
        line = self._lines.get((position, on_cursor))
        if line is None:
            line = self._row_line(self.items[position], on_cursor, base)
            if len(self._lines) > 2000:
                self._lines.clear()
            self._lines[(position, on_cursor)] = line
        return line.crop_extend(0, width, base)

    def _row_line(self, item: Item, on_cursor: bool, base: Style) -> Strip:
        if on_cursor:
            name = "measure-table--cursor" if self.has_focus else "measure-table--cursor-blurred"
            base = base + self.get_component_rich_style(name)
        segments = [Segment(CURSOR_MARK if on_cursor else " ", base)]
        console = self.app.console
        for (_key, _label, width), text in zip(self.columns, self.cells(item), strict=True):
            text = text.copy()
            text.truncate(width - 1, overflow="ellipsis")  # a column's last cell is the gap after it
            if on_cursor:  # one colour pair across the cursor row, so every cell reads against it
                segments.append(Segment(text.plain, base))
            else:
                cell = base + console.get_style(text.style) if text.style else base
                for segment in text.render(console):
                    if segment.text != "\n":
                        segments.append(
                            Segment(segment.text, cell + segment.style if segment.style else cell)
                        )
            pad = width - text.cell_len
            if pad > 0:
                segments.append(Segment(" " * pad, base))
        return Strip(segments)


def _fit(label: str, width: int) -> str:
    text = label if len(label) < width else label[: max(width - 2, 0)] + "…"
    return text.ljust(width)
