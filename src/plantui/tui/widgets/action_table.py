"""A table of actions that stays instant at 10,000 rows.

Built on Textual's line API: `render_line` draws only the rows in view, each row's line is cached
by action id and thrown away only when that row changes (or the width or theme does), and replacing
the rows on a filter swaps a list without building widgets. The header row stays in place while the
rows scroll. Sorting is by any column (a key, or a click on its header; again to reverse), the
cursor follows the keyboard and the mouse, and `update_row` redraws a single line.

Columns are plain data (`Column`), so the calendar and findings views can reuse the table with
columns of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, ClassVar, NamedTuple

from rich.cells import set_cell_size
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from plantui.domain import wording
from plantui.domain.exceptions import status_worst_first, worst_first
from plantui.domain.refs import sort_key
from plantui.domain.text import visible
from plantui.domain.views import ActionRow
from plantui.tui import presentation as p
from plantui.tui.widgets.line_cursor import CURSOR_BINDINGS, LineCursor


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    min_width: int
    width: int  # what it needs to read comfortably; the `flex` column takes every column left over
    cell: Callable[[ActionRow, date], Text]
    sort: Callable[[ActionRow, date], Any]
    flex: bool = False
    readable: int = 0  # flex column: the width below which the table shows fewer columns instead
    # The width these rows' cells read comfortably in, when less than `width` (None: always `width`).
    fit: Callable[[Sequence[ActionRow]], int] | None = None


def _far(value: date | None) -> date:
    return value or date.max


def due_with_milestone(row: ActionRow, today: date) -> Text:
    """Milestone and due state in one cell, for tables too narrow for both: "⚠ overdue Feb 2023",
    "✔ Sep 2022", "↻ Ongoing". The state comes before the month, so a cut cell keeps what matters."""
    state = row.due_state(today)
    words = wording.due_and_month(state, row.due, visible(row.milestone))
    text = Text(f"{wording.due_symbol(state)} {words}", style=p.DUE_STYLES[state], end="")
    slipped = wording.slip_words(row.slippage)
    if slipped:
        text.append(f" · {slipped}", style=p.SLIPPED_STYLE)
    return text


REF = Column("ref", "Ref", 8, 8, lambda r, _t: Text(r.ref), lambda r, _t: sort_key(r.ref))
TITLE = Column(
    "title",
    "Action",
    16,
    56,
    lambda r, _t: p.plain(r.title),
    lambda r, _t: r.title.lower(),
    flex=True,
    readable=41,  # 40 characters of the title and the ellipsis that says there is more
)
LEADS = Column(
    "leads",
    "Lead(s)",
    12,
    22,
    lambda r, _t: p.plain("; ".join(r.leads) or "–"),
    lambda r, _t: ("; ".join(r.leads) or "~").lower(),
)
STATUS = Column(
    "status",
    "Status",
    13,
    13,
    lambda r, _t: p.status_text(r.status),
    lambda r, _t: status_worst_first(r.status),
)
# Squeezed beside the tree: the status by its symbol alone, sorted the same way.
STATUS_MARK = replace(
    STATUS, label="RAG", min_width=3, width=3, cell=lambda r, _t: p.status_text(r.status, mark_only=True)
)
MILESTONE = Column(
    "milestone",
    "Milestone",
    9,
    15,
    lambda r, _t: p.plain(r.milestone or "–"),
    lambda r, _t: (_far(r.due), r.milestone.lower()),
)


def _due_order(row: ActionRow, today: date) -> tuple:
    return (_DUE_ORDER[row.due_state(today)], -(row.slipped_days or 0), _far(row.due))


def _due_fit(rows: Sequence[ActionRow]) -> int:
    """The Due cells' width for these rows: the state alone fits in 11 ("◷ due soon"); a slip adds
    its words ("⚠ overdue · slipped 15 days"). A few distinct slips among thousands of rows, so cheap."""
    slips = {row.slippage for row in rows if row.slippage is not None}
    longest = max((len(wording.slip_words(slip)) for slip in slips), default=0)
    if not longest:
        return DUE_STATE_WIDTH
    return max(DUE_STATE_WIDTH, LONGEST_DUE_STATE + len(" · ") + longest)


LONGEST_DUE_STATE = len("◷ due soon")  # as long as "· Sep 2023"; "⚠ overdue" is shorter
DUE_STATE_WIDTH = 11
DUE = Column(  # 30 at most: "· Dec 2023 · slipped 22 months"
    "due", "Due", DUE_STATE_WIDTH, 30, p.due_text, _due_order, fit=_due_fit
)
# The merged cell where a slip fits whole ("⚠ overdue Oct 2022 · slipped 15 days"), and where not.
DUE_AND_MILESTONE = Column("due", "Due", 15, 36, due_with_milestone, _due_order)
DUE_AND_MILESTONE_SHORT = replace(DUE_AND_MILESTONE, width=20)
UPDATED = Column(
    "updated",
    "Updated",
    11,
    11,
    lambda r, _t: Text(p.day(r.updated_at)),
    lambda r, _t: r.updated_at.isoformat() if r.updated_at else "",
)


# A sort with no column of its own: exceptions first, worst first (plantui.domain.exceptions).
WORST_FIRST = Column("worst", "worst first", 0, 0, lambda _r, _t: Text(""), worst_first)


class Layout(NamedTuple):
    """Columns to show together, and how wide the flex column must then be to choose them."""

    flex_needs: int
    columns: tuple[Column, ...]


# The action table's layouts, widest first; the table shows the first whose other columns, at the
# width they read comfortably, leave the action's title what that layout asks. Updated goes first,
# and only for a title of 56; then Milestone folds into Due, then Lead(s) goes, each to keep 40
# characters of the title in view. Squeezed beside the tree on a small screen, the status shows its
# symbol alone (each has its own shape, and the detail pane names the selected one's status).
# What a layout leaves out is always in the detail pane.
ACTION_LAYOUTS: tuple[Layout, ...] = (
    Layout(56, (REF, TITLE, LEADS, STATUS, MILESTONE, DUE, UPDATED)),
    Layout(41, (REF, TITLE, LEADS, STATUS, MILESTONE, DUE)),
    Layout(41, (REF, TITLE, LEADS, STATUS, DUE_AND_MILESTONE)),
    Layout(41, (REF, TITLE, LEADS, STATUS, DUE_AND_MILESTONE_SHORT)),
    Layout(30, (REF, TITLE, STATUS, DUE_AND_MILESTONE_SHORT)),
    Layout(0, (REF, TITLE, STATUS_MARK, DUE_AND_MILESTONE_SHORT)),
)
ACTION_COLUMNS = ACTION_LAYOUTS[0].columns

_DUE_ORDER = {"overdue": 0, "soon": 1, "later": 2, "ongoing": 3, "done": 4}


def layout_columns(layouts: Sequence[Layout], width: int) -> list[tuple[Column, int]]:
    """The columns to show in `width` cells, each with its width (one space between columns).

    The layout is the first whose other columns, at the width they read comfortably, leave the flex
    column what the layout asks (the last when none does). The flex column then takes every column
    left over; when that is less than it needs to be read, the others shrink towards their minimums.
    """
    shown = next(
        (
            layout.columns
            for layout in layouts
            if _flex_room(layout.columns, width, _comfortable) >= layout.flex_needs
        ),
        layouts[-1].columns,
    )
    flex = next((c for c in shown if c.flex), None)
    widths = {c.key: c.width for c in shown}
    if flex is None:
        return [(c, widths[c.key]) for c in shown]
    wanted = max(flex.min_width, min(flex.readable, _flex_room(shown, width, lambda c: c.min_width)))
    excess = wanted - _flex_room(shown, width, _comfortable)
    if excess > 0:
        # Shrink the other columns towards their minimums, each in proportion to its slack.
        others = [c for c in shown if c is not flex and c.width > c.min_width]
        slack = sum(c.width - c.min_width for c in others)
        for column in others:
            widths[column.key] -= min(
                excess * (column.width - column.min_width) // slack, column.width - column.min_width
            )
        left = excess - sum(c.width - widths[c.key] for c in others)
        for column in sorted(others, key=lambda c: widths[c.key] - c.min_width, reverse=True):
            if left <= 0:
                break
            take = min(left, widths[column.key] - column.min_width)
            widths[column.key] -= take
            left -= take
    gaps = len(shown) + 1  # a gap after each column, and one cell of cursor gutter in front
    widths[flex.key] = max(width - gaps - sum(w for k, w in widths.items() if k != flex.key), 4)
    return [(c, widths[c.key]) for c in shown]


def _comfortable(column: Column) -> int:
    return column.width


def _flex_room(shown: Sequence[Column], width: int, other_width: Callable[[Column], int]) -> int:
    """What the flex column would have with every other column at `other_width`."""
    return width - (len(shown) + 1) - sum(other_width(c) for c in shown if not c.flex)


_HIGHLIGHT = Style(bold=True, underline=True)  # a filter's words in a title: seen without colour too
# The gutter in front of each row: the cursor, a marked row, and a marked row under the cursor. Shapes,
# so a mark reads without colour (NO_COLOR) too.
CURSOR_MARK, ROW_MARK, CURSOR_ROW_MARK = "▸", "◆", "◈"


def _fit(text: Text, width: int) -> Text:
    if text.cell_len > width:
        text = text.copy()
        text.truncate(width, overflow="ellipsis")
    return text


def _wrapped_part(text: Text, width: int, part: int, console: Console) -> Text:
    """Line `part` (0 or 1) of `text` wrapped at word boundaries to `width`; the second line holds all
    the rest, which `_fit` cuts with an ellipsis where even two lines are too few."""
    lines = text.wrap(console, max(width, 1), overflow="fold")
    if part == 0:
        return lines[0] if lines else Text("")
    start = len(lines[0].plain) if lines else len(text.plain)
    while start < len(text.plain) and text.plain[start].isspace():
        start += 1
    return text[start:]


class ActionTable(LineCursor, ScrollView, can_focus=True):
    """The actions under the tree's selection, one line each."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *CURSOR_BINDINGS,
        Binding("enter", "activate", "Edit", show=False),
        Binding("s", "sort_next", "Sort", show=False, tooltip="Sort by the next column (or click a header)"),
        Binding("S", "sort_reverse", "Reverse sort", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "action-table--header",
        "action-table--cursor",
        "action-table--cursor-blurred",
        "action-table--empty",
    }

    DEFAULT_CSS = """
    ActionTable { overflow-x: hidden; overflow-y: auto; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False, init=False)

    class CursorMoved(Message):
        """The cursor is on a different action (or on none, when the table is empty)."""

        def __init__(self, table: ActionTable, row: ActionRow | None) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> ActionTable:
            return self.table

    class Activated(Message):
        """Enter or a double click on an action."""

        def __init__(self, table: ActionTable, row: ActionRow) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> ActionTable:
            return self.table

    def __init__(
        self,
        *,
        today: date,
        layouts: Sequence[Layout] = ACTION_LAYOUTS,
        sorts: Sequence[Column] = (WORST_FIRST,),
        empty_text: str = "No actions match.",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.today = today
        self.layouts = tuple(layouts)
        # Every column any layout shows, by key, and the sorts with no column: what the table can sort by.
        shown = {c.key: c for layout in reversed(self.layouts) for c in layout.columns}
        self.columns = (*shown.values(), *sorts)
        self.empty_text = empty_text
        self.rows: list[ActionRow] = []
        self._index: dict[int, int] = {}  # action id -> position in `rows`
        self._lines: dict[tuple[int, bool, int], Strip] = {}  # (action id, on cursor, line of the row)
        self.row_height = 1  # 2: each title wraps onto a second line
        self._layout: list[tuple[Column, int]] = []
        self._layout_width = -1
        self._fitted_layouts = self.layouts  # the layouts with each `fit` column as wide as the rows need
        self.sort_column: str | None = None  # None: plan order
        self.sort_reverse = False
        self._last_reported: int | None = -1
        self.highlighted_words: tuple[str, ...] = ()  # filter words marked in the titles
        self.marked: frozenset[int] = frozenset()  # ids of the actions drawn with a mark (`show_marks`)

    # --- data -----------------------------------------------------------------------------------------

    @property
    def current(self) -> ActionRow | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def set_rows(self, rows: Sequence[ActionRow], *, keep: int | None = None) -> None:
        """Show these rows (sorted by the current column); the cursor stays on action `keep` if shown."""
        keep_id = keep if keep is not None else (self.current.id if self.current else None)
        self.rows = self._sorted(list(rows))
        self._index = {row.id: i for i, row in enumerate(self.rows)}
        self._fit_columns()
        self.virtual_size = Size(0, len(self.rows) * self.row_height + 1)
        position = self._index.get(keep_id, 0) if keep_id is not None else 0
        self._move(position, force_report=True)
        self.refresh()

    def update_row(self, row: ActionRow) -> bool:
        """Redraw one changed action in place; False when it is not shown."""
        position = self._index.get(row.id)
        if position is None:
            return False
        self.rows[position] = row
        if self._fit_columns([row], widen_only=True):
            self.refresh()
        self._forget(row.id)
        self._refresh_position(position)
        if position == self.cursor:
            self._report(force=True)
        return True

    def _fit_columns(self, rows: Sequence[ActionRow] | None = None, *, widen_only: bool = False) -> bool:
        """Give each column with a `fit` the width the rows need (never more than its `width`), so a
        Due column with no slip to show leaves its room to the titles. True when a width changed."""
        changed = False
        fitted = []
        for layout, now in zip(self.layouts, self._fitted_layouts, strict=True):
            columns = []
            for column, current in zip(layout.columns, now.columns, strict=True):
                if column.fit is not None:
                    wanted = min(column.width, column.fit(self.rows if rows is None else rows))
                    if widen_only:
                        wanted = max(wanted, current.width)
                    if wanted != current.width:
                        current = replace(column, width=wanted)
                        changed = True
                columns.append(current)
            fitted.append(Layout(layout.flex_needs, tuple(columns)))
        if changed:
            self._fitted_layouts = tuple(fitted)
            self._layout_width = -1  # lay the columns out again
        return changed

    def _forget(self, action_id: int, *, on_cursor: tuple[bool, ...] = (False, True)) -> None:
        """Drop the cached lines of one action, so they are drawn again."""
        for cursor in on_cursor:
            for line in range(self.row_height):
                self._lines.pop((action_id, cursor, line), None)

    def wrap_titles(self, wrap: bool) -> None:
        """Two lines a row, so a long title reads whole (or nearly), or one line a row."""
        height = 2 if wrap else 1
        if height != self.row_height:
            self.row_height = height
            self._lines.clear()
            self.virtual_size = Size(0, len(self.rows) * height + 1)
            self._scroll_to_cursor(center=True)
            self.refresh()

    def highlight_words(self, words: tuple[str, ...]) -> None:
        """Mark these words (a filter's free words) wherever they appear in a title."""
        if words != self.highlighted_words:
            self.highlighted_words = words
            self._lines.clear()
            self.refresh()

    def index_of(self, action_id: int) -> int | None:
        return self._index.get(action_id)

    def select_id(self, action_id: int) -> bool:
        position = self._index.get(action_id)
        if position is None:
            return False
        self._move(position, center=True)
        return True

    # --- marks --------------------------------------------------------------------------------------

    def show_marks(self, ids: frozenset[int]) -> None:
        """Draw a mark in front of these actions, and none in front of the others; only the rows whose
        mark changed are drawn again. Which rows are marked is the screen's to decide."""
        changed = self.marked ^ ids
        self.marked = ids
        for action_id in changed:
            self._forget(action_id)
            position = self._index.get(action_id)
            if position is not None:
                self._refresh_position(position)

    def ids_between(self, first_id: int, last_id: int) -> list[int]:
        """The ids of the rows from one action to another as shown (either way round), both included;
        empty when either is not shown."""
        first, last = self._index.get(first_id), self._index.get(last_id)
        if first is None or last is None:
            return []
        low, high = min(first, last), max(first, last)
        return [row.id for row in self.rows[low : high + 1]]

    # --- sorting --------------------------------------------------------------------------------------

    def _sorted(self, rows: list[ActionRow]) -> list[ActionRow]:
        if self.sort_column is None:
            return rows
        column = next(c for c in self.columns if c.key == self.sort_column)
        today = self.today
        return sorted(rows, key=lambda row: column.sort(row, today), reverse=self.sort_reverse)

    def sort_by(self, key: str | None, reverse: bool = False) -> None:
        self.sort_column = key
        self.sort_reverse = reverse
        keep = self.current.id if self.current else None
        original = sorted(self.rows, key=lambda row: sort_key(row.ref))
        self._header = None
        self.set_rows(original, keep=keep)

    def action_sort_next(self) -> None:
        keys = [None, *(c.key for c in self._shown_columns())]
        following = keys[(keys.index(self.sort_column) + 1) % len(keys)] if self.sort_column in keys else None
        self.sort_by(following)
        self._announce_sort()

    def action_sort_reverse(self) -> None:
        self.sort_by(self.sort_column or "ref", not self.sort_reverse)
        self._announce_sort()

    def _announce_sort(self) -> None:
        if self.sort_column is None:
            self.notify("Sorted in plan order", timeout=2)
            return
        label = next(c.label for c in self.columns if c.key == self.sort_column)
        self.notify(f"Sorted by {label}{' (reversed)' if self.sort_reverse else ''}", timeout=2)

    def _shown_columns(self) -> list[Column]:
        return [c for c, _w in self._columns_for(self._width())]

    # --- cursor ---------------------------------------------------------------------------------------

    def _move(self, position: int, *, center: bool = False, force_report: bool = False) -> None:
        old = self.cursor
        position = max(0, min(position, len(self.rows) - 1)) if self.rows else 0
        self.set_reactive(ActionTable.cursor, position)
        if old != position:
            self._refresh_position(old)
            self._refresh_position(position)
        self._scroll_to_cursor(center)
        self._report(force=force_report)

    def _report(self, *, force: bool = False) -> None:
        current = self.current
        key = current.id if current else None
        if force or key != self._last_reported:
            self._last_reported = key
            self.post_message(self.CursorMoved(self, current))

    def cursor_at(self) -> int:
        return self.cursor

    def line_count(self) -> int:
        return len(self.rows)

    def _lines_in_view(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)  # the header row stays put

    def _rows_in_view(self) -> int:
        return max(self._lines_in_view() // self.row_height, 1)

    def _scroll_to_cursor(self, center: bool = False) -> None:
        """Scroll (in lines) so that every line of the cursor's row is in view."""
        height, in_view, top = self.row_height, self._lines_in_view(), round(self.scroll_y)
        first = self.cursor * height
        last = first + height - 1
        if top <= first and last < top + in_view:
            return
        if center:
            target = max(first - (in_view - height) // 2, 0)
        else:
            target = first if first < top else last - in_view + 1
        self.scroll_to(y=target, animate=False, immediate=True)

    def _refresh_position(self, position: int) -> None:
        y = position * self.row_height - round(self.scroll_y) + 1
        for line in range(y, y + self.row_height):
            if 1 <= line < self.size.height:
                self.refresh(Region(0, line, self.size.width, 1))

    def action_activate(self) -> None:
        if self.current is not None:
            self.post_message(self.Activated(self, self.current))

    # --- mouse ----------------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            column = self._column_at(offset.x)
            if column is not None:
                same = column.key == self.sort_column
                self.sort_by(column.key, reverse=same and not self.sort_reverse)
                self._announce_sort()
            return
        line = round(self.scroll_y) + offset.y - 1
        position = line // self.row_height
        if line >= 0 and position < len(self.rows):
            self._move(position)
            if event.chain >= 2:
                self.action_activate()

    def _column_at(self, x: int) -> Column | None:
        edge = 1
        for column, width in self._columns_for(self._width()):
            if edge <= x < edge + width + 1:
                return column
            edge += width + 1
        return None

    # --- drawing --------------------------------------------------------------------------------------

    def _width(self) -> int:
        return self.scrollable_content_region.width

    def _columns_for(self, width: int) -> list[tuple[Column, int]]:
        if width != self._layout_width:
            self._layout = layout_columns(self._fitted_layouts, width)
            self._layout_width = width
            self._lines.clear()
            self._header = None
        return self._layout

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()
        self._header = None
        self._base = None

    _base: Style | None = None

    def _base_style(self) -> Style:
        """The widget's own style, worked out once per style change rather than once per line."""
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def on_resize(self, _event: events.Resize) -> None:
        self._scroll_to_cursor()

    def render_line(self, y: int) -> Strip:
        width = self._width()
        columns = self._columns_for(width)
        base = self._base_style()
        if y == 0:
            return self._header_line(columns, width, base)
        position, part = divmod(round(self.scroll_y) + y - 1, self.row_height)
        if position >= len(self.rows):
            if not self.rows and y == 1:
                style = base + self.get_component_rich_style("action-table--empty")
                return Strip([Segment(set_cell_size(" " + self.empty_text, width), style)], width)
            return Strip.blank(width, base)
        row = self.rows[position]
        on_cursor = position == self.cursor
        key = (row.id, on_cursor, part)
        line = self._lines.get(key)
        if line is None:
            line = self._row_line(row, on_cursor, columns, width, base, part)
            if len(self._lines) > 4000:
                self._lines.clear()
            self._lines[key] = line
        return line

    _header: Strip | None = None

    def _header_line(self, columns: list[tuple[Column, int]], width: int, base: Style) -> Strip:
        if self._header is not None and self._header.cell_length == width:
            return self._header
        style = base + self.get_component_rich_style("action-table--header")
        segments = [Segment(" ", style)]
        for column, column_width in columns:
            label = column.label
            if column.key == self.sort_column:
                label += " ▼" if self.sort_reverse else " ▲"
            segments.append(Segment(set_cell_size(label, column_width) + " ", style))
        strip = Strip(segments).adjust_cell_length(width, style)
        self._header = strip
        return strip

    def _row_line(
        self,
        row: ActionRow,
        on_cursor: bool,
        columns: list[tuple[Column, int]],
        width: int,
        base: Style,
        part: int = 0,
    ) -> Strip:
        """Line `part` of a row: the first line has every cell; with wrapped titles, the second goes on
        with the title alone."""
        if on_cursor:
            name = "action-table--cursor" if self.has_focus else "action-table--cursor-blurred"
            base = base + self.get_component_rich_style(name)
        segments = [Segment(self._gutter(row.id, on_cursor) if part == 0 else " ", base)]
        for column, column_width in columns:
            if self.row_height == 1 or not column.flex:
                text = column.cell(row, self.today) if part == 0 else Text("")
            else:
                text = _wrapped_part(column.cell(row, self.today), column_width, part, self.app.console)
            if column.flex and self.highlighted_words:
                text.highlight_words(self.highlighted_words, _HIGHLIGHT, case_sensitive=False)
            text = _fit(text, column_width)
            if on_cursor:  # one colour pair across the cursor row, so every cell reads against it
                segments.append(Segment(text.plain, base))
            else:
                # `Text.render` yields the spans' styles; the Text's own style is laid under them.
                cell = base + self.app.console.get_style(text.style) if text.style else base
                for segment in text.render(self.app.console):
                    if segment.text != "\n":
                        segments.append(
                            Segment(segment.text, cell + segment.style if segment.style else cell)
                        )
            pad = column_width - text.cell_len + 1
            if pad > 0:
                segments.append(Segment(" " * pad, base))
        return Strip(segments).adjust_cell_length(width, base)

    def _gutter(self, action_id: int, on_cursor: bool) -> str:
        if action_id in self.marked:
            return CURSOR_ROW_MARK if on_cursor else ROW_MARK
        return CURSOR_MARK if on_cursor else " "

    def on_focus(self) -> None:
        self._redraw_cursor()

    def on_blur(self) -> None:
        self._redraw_cursor()

    def _redraw_cursor(self) -> None:
        current = self.current
        if current is not None:
            self._forget(current.id, on_cursor=(True,))
            self._refresh_position(self.cursor)
