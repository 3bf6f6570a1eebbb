"""The milestone calendar: a year of month cells showing what is due, overdue and slipped.

`CalendarScreen(rows, today)` takes the actions already in memory and does no database work. It is
pushed with a callback and dismisses with a filter term: `due:2022-11` for the month chosen with
Enter (or a click on the selected month), `due:none` for the Ongoing lane, or None on Escape. The
caller applies the term to its action table.

Counts and the overdue and slipped rules come from `plantui.domain.calendar` and `plantui.domain.due`,
their words from `plantui.domain.wording`; this module only lays them out. Every status shows its
symbol beside its colour, the selected month has a heavy border and today's month the word "today",
so nothing depends on colour alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.events import Click, Resize
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from plantui.domain.calendar import ActionGroup, CalendarYear, Month, MonthCell, calendar_year
from plantui.domain.due import DueState, is_overdue
from plantui.domain.statuses import STATUSES, status
from plantui.domain.text import visible
from plantui.domain.views import ActionRow
from plantui.domain.wording import day_text, due_symbol, plural, slip_words
from plantui.tui.styles import sheet
from plantui.tui.widgets.plan_footer import PlanFooter

OVERDUE_MARK = due_symbol(DueState.OVERDUE)  # ⚠
SOON_MARK = due_symbol(DueState.SOON)  # ◷
SLIPPED_MARK = "»"
ONGOING_MARK = due_symbol(DueState.ONGOING)  # ↻
TODAY_MARK = "◆ today"
_TITLE_ROOM = 12  # an action line names its slip only if this much of the title still shows


def status_tally(group: ActionGroup) -> list[Text]:
    """One `symbol count` piece per status present, in legend order, each in its status colour."""
    return [
        Text(f"{s.symbol}{group.counts[s.code]}", style=s.colour) for s in STATUSES if group.counts[s.code]
    ]


def _pack(pieces: list[Text], width: int, separator: str = " ") -> list[Text]:
    """Lay pieces out in lines no wider than `width`, `separator` between them; a piece never splits."""
    lines: list[Text] = []
    line = Text()
    for piece in pieces:
        if line.cell_len and line.cell_len + len(separator) + piece.cell_len > width:
            lines.append(line)
            line = Text()
        if line.cell_len:
            line.append(separator)
        line.append_text(piece)
    if line.cell_len:
        lines.append(line)
    return lines


def _slip_summary(group: ActionGroup, width: int) -> Text | None:
    """`» 1 slipped 6 months`, `» 3 slipped, up to 6 months`; `» 3 slipped` when more would be cut."""
    if not group.slipped:
        return None
    count = f"{SLIPPED_MARK} {group.slipped}"
    if group.slipped == 1:
        [slip] = [row.slippage for row in group.actions if row.slippage is not None]
        words = f"{count} {slip_words(slip)}"
    elif group.most_slipped_months:
        words = f"{count} slipped, up to {plural(group.most_slipped_months, 'month')}"
    elif group.slipped_open_ended == group.slipped:
        words = f"{count} slipped to no date"
    else:
        words = f"{count} slipped"
    return Text(words if len(words) <= width else f"{count} slipped", style="italic")


def _action_line(row: ActionRow, today: date, width: int) -> Text:
    if is_overdue(row.status, row.due, today):
        mark = Text(OVERDUE_MARK, style="bold")
    elif row.slipped:
        mark = Text(SLIPPED_MARK)
    else:
        mark = Text(" ")
    s = status(row.status)
    line = Text.assemble(mark, (s.symbol, s.colour), " ", (row.ref, "bold"), " ")
    slip = slip_words(row.slippage)
    if (
        slip and line.cell_len + len(slip) + 1 + _TITLE_ROOM <= width
    ):  # else the » mark and the cell's count say it
        line.append(f"{slip} ", style="italic")
    line.append(visible(row.title))
    line.truncate(width, overflow="ellipsis")
    return line


def cell_lines(cell: MonthCell, today: date, width: int, height: int) -> list[Text]:
    """What a month cell shows in `width` x `height`: the counts first, then as many actions as fit.

    When some actions do not fit, the last line says how many ("+7 more"): nothing is cut silently.
    """
    group = cell.group
    if width <= 0 or height <= 0:
        return []
    if not group.total:
        return [Text("nothing due", style="dim")]
    head = [Text(f"{group.total} due", style="bold")]
    if group.overdue:
        head.append(Text(f"{OVERDUE_MARK} {group.overdue} overdue", style="bold"))
    if group.soon:
        head.append(Text(f"{SOON_MARK} {group.soon} soon"))
    lines = _pack(head, width, separator=" · ")
    lines += _pack(status_tally(group), width)
    if slip := _slip_summary(group, width):
        lines.append(slip)
    if len(lines) > height:
        lines = [*lines[: height - 1], Text("… Enter lists them", style="dim")]
    room = max(height - len(lines), 0)
    actions = group.actions
    if len(actions) > room and room:
        shown = actions[: room - 1]
        more = Text(f"+{len(actions) - len(shown)} more", style="bold")
    else:
        shown, more = actions[:room], None
    lines += [_action_line(row, today, width) for row in shown]
    if more is not None:
        lines.append(more)
    for line in lines:
        line.truncate(width, overflow="ellipsis")
    return lines


class MonthView(Widget):
    """One month of the grid. Clicking it asks the screen to select it."""

    class Clicked(Message):
        def __init__(self, month: Month) -> None:
            super().__init__()
            self.month = month

    def __init__(self, cell: MonthCell, today: date) -> None:
        super().__init__(id=f"month-{cell.month.month}")
        self.cell = cell
        self.today = today

    def show(self, cell: MonthCell, *, selected: bool) -> None:
        self.cell = cell
        self.set_class(selected, "-selected")
        self.set_class(cell.is_current, "-current")
        self.set_class(cell.is_past, "-past")
        self._set_title()
        self.refresh()

    def _set_title(self) -> None:
        """The month's name on the top border; "◆ today" beside it, or below it when the cell is narrow."""
        month, current = self.cell.month, self.cell.is_current
        room = (self.size.width or 26) - 2  # the border title keeps a space each side
        name = month.name if len(month.name) <= room else month.short_name
        if current and len(name) + len(TODAY_MARK) + 1 <= room:
            self.border_title, self.border_subtitle = f"{name} {TODAY_MARK}", ""
        else:
            self.border_title, self.border_subtitle = name, TODAY_MARK if current else ""

    def on_resize(self, event: Resize) -> None:
        self._set_title()

    def render(self) -> Text:
        size = self.size
        return Text("\n").join(cell_lines(self.cell, self.today, size.width, size.height))

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self.cell.month))


class OngoingLane(Static):
    """The actions with no due date, kept out of the grid. Clicking it lists them."""

    class Clicked(Message):
        pass

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(self.Clicked())


def ongoing_text(group: ActionGroup) -> Text:
    text = Text.assemble(
        (f"{ONGOING_MARK} Ongoing (no date): ", "bold"), (plural(group.total, "action"), "bold")
    )
    tally = status_tally(group)
    if tally:
        text.append("  ")
        text.append_text(Text(" ").join(tally))
    if group.overdue:
        text.append(f"  {OVERDUE_MARK} {group.overdue} overdue")
    if group.slipped:
        text.append(f"  {SLIPPED_MARK} {group.slipped} slipped to no date", style="italic")
    text.append("  · o lists them", style="dim")
    return text


def summary_text(model: CalendarYear) -> Text:
    year = model.due_this_year
    text = Text.assemble((f"Milestones {model.year}", "bold"), f" · today {day_text(model.today)} · ")
    text.append(f"{year.total} due")
    if year.overdue:
        text.append(f" · {OVERDUE_MARK} {year.overdue} overdue", style="bold")
    if year.soon:
        text.append(f" · {SOON_MARK} {year.soon} soon")
    if year.slipped:
        text.append(f" · {SLIPPED_MARK} {year.slipped} slipped", style="italic")
    if model.before:
        text.append(f" · {model.before} due earlier", style="dim")
    if model.after:
        text.append(f" · {model.after} due later", style="dim")
    return text


def grid_columns(width: int) -> int:
    """Months per row for a screen this wide: 6x2 when there is room, 4x3 usually, 3x4 when narrow."""
    if width >= 180:
        return 6
    if width >= 72:
        return 4
    return 3


class CalendarScreen(Screen[str | None]):
    """A year of milestones. Dismisses with a filter term for the action table, or None."""

    CSS_PATH = sheet("calendar.tcss")
    AUTO_FOCUS = None
    BINDINGS: ClassVar = [
        # Help first, so the footer keeps it in view even at 80 columns (as on the main screen).
        Binding(
            "question_mark,f1", "app.help", "Help", key_display="?", tooltip="Every key", id="calendar.help"
        ),
        Binding("enter", "open_month", "Open month", id="calendar.open"),
        Binding("escape", "close", "Back", id="calendar.close"),
        # `m` opens the calendar from the main screen; here it closes it rather than opening another
        Binding("m", "close", "Close calendar", id="calendar.toggle", show=False),
        Binding("left,h", "move(-1)", "Month", id="calendar.previous", key_display="←→/hl"),
        Binding("right,l", "move(1)", "Next month", id="calendar.next", show=False),
        Binding("up,k", "move_row(-1)", "Row up", id="calendar.up", show=False),
        Binding("down,j", "move_row(1)", "Row down", id="calendar.down", show=False),
        Binding("left_square_bracket", "year(-1)", "Year", id="calendar.previous_year", key_display="[ ]"),
        Binding("right_square_bracket", "year(1)", "Next year", id="calendar.next_year", show=False),
        Binding("t", "today", "Today", id="calendar.today"),
        Binding("o", "open_ongoing", "Ongoing", id="calendar.ongoing"),
    ]

    def __init__(
        self,
        rows: Iterable[ActionRow],
        today: date,
        *,
        month: Month | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(name=name)
        self.rows = tuple(rows)
        self.today = today
        self.selected = month or Month.of(today)
        self.model = calendar_year(self.rows, self.selected.year, today)
        self.columns = 4

    def compose(self) -> ComposeResult:
        yield Static(summary_text(self.model), id="calendar-summary")
        with Grid(id="months"):
            for cell in self.model.months:
                yield MonthView(cell, self.today)
        yield OngoingLane(ongoing_text(self.model.ongoing), id="ongoing")
        yield PlanFooter(compact=True)

    def on_mount(self) -> None:
        self._show()

    def on_resize(self, event: Resize) -> None:
        columns = grid_columns(event.size.width)
        if columns != self.columns:
            self.columns = columns
            grid = self.query_one("#months", Grid)
            grid.styles.grid_size_columns = columns
            grid.styles.grid_size_rows = 12 // columns

    def select(self, month: Month) -> None:
        """Select a month, turning to its year if it is in another."""
        if month.year != self.model.year:
            self.model = calendar_year(self.rows, month.year, self.today)
            self.query_one("#calendar-summary", Static).update(summary_text(self.model))
            self.query_one("#ongoing", OngoingLane).update(ongoing_text(self.model.ongoing))
        self.selected = month
        self._show()

    def _show(self) -> None:
        for view in self.query(MonthView):
            cell = self.model.months[view.cell.month.month - 1]
            view.show(cell, selected=cell.month == self.selected)
        self.sub_title = self.selected.name

    def action_move(self, months: int) -> None:
        self.select(self.selected.shift(months))

    def action_move_row(self, rows: int) -> None:
        self.select(self.selected.shift(rows * self.columns))

    def action_year(self, years: int) -> None:
        self.select(self.selected.shift_years(years))

    def action_today(self) -> None:
        self.select(Month.of(self.today))

    def action_open_month(self) -> None:
        self.dismiss(self.selected.filter_term)

    def action_open_ongoing(self) -> None:
        self.dismiss("due:none")

    def action_close(self) -> None:
        self.dismiss(None)

    def on_month_view_clicked(self, message: MonthView.Clicked) -> None:
        if message.month == self.selected:
            self.action_open_month()
        else:
            self.select(message.month)

    def on_ongoing_lane_clicked(self, message: OngoingLane.Clicked) -> None:
        self.action_open_ongoing()
