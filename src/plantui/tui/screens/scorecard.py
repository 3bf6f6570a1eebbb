"""The scorecard (`K`): every measure with its latest value, target, status, trend and last 12 periods.

`ScorecardScreen(findings)` reads the measures from the app's plan model (`app.model.measures`, as
at the as-at day in an as-at view) and does no database work; it redraws when the measures move
(`MeasuresChanged`, a value recorded here or elsewhere) or the plan is read again (`PlanLoaded`).

One row a measure in a `MeasureTable` (a line-API table that draws only the rows in view): the last
12 periods are a text sparkline in a cell (`wording.sparkline_words`), not Textual's `Sparkline`
widget a row: 500 widgets, or even Textual's DataTable measuring 500 rows of cells, took far longer
than the 100 ms the screen has to open in (benchmarks/README.md). The measure's own screen draws its
periods with the `Sparkline` widget. The status is a symbol and words, the
colour only added. `s` sorts by status (worst first), ref or name, a click on those headers too; `/`
filters (`domain.scorecard`'s words, `status:off`, `owner:NAME`); Enter opens the measure's history
(`MeasureScreen`), whose linked actions lead back to the workbench: the screen then dismisses with
the action's ref, which the main screen goes to.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Input, Static

from plantui.domain.errors import InputError
from plantui.domain.measures import MET, NO_DATA, NO_TARGET, OFF_TARGET, WITHIN_TOLERANCE
from plantui.domain.scorecard import (
    SORTS,
    STATUS_ORDER,
    ScorecardFilter,
    ScorecardRow,
    parse_scorecard_filter,
    sorted_rows,
)
from plantui.domain.text import visible
from plantui.domain.views import Finding
from plantui.domain.wording import (
    day_text,
    measure_status_words,
    measure_value_words,
    period_short_words,
    period_words,
    plural,
    sparkline_words,
    target_words,
    trend_words,
)
from plantui.tui.messages import MeasuresChanged, PlanLoaded
from plantui.tui.presentation import MEASURE_STYLES, measure_line, measure_status_text
from plantui.tui.styles import sheet
from plantui.tui.widgets.filter_box import FilterBox
from plantui.tui.widgets.measure_table import MeasureTable
from plantui.tui.widgets.plan_footer import PlanFooter

_SHORT_STATUS = {
    MET: "✔ Met",
    WITHIN_TOLERANCE: "◐ Within",
    OFF_TARGET: "✖ Off",
    NO_DATA: "? No data",
    NO_TARGET: "– No target",
}
WIDE = 110  # from this many columns the table gives the period its own column and statuses in full
FILTER_PLACEHOLDER = "/ filter: words, status:off, owner:NAME"
SORT_WORDS = {"status": "status, worst first", "ref": "ref", "name": "name"}
_SORT_OF_COLUMN = {"ref": "ref", "name": "name", "status": "status"}


def _status_cell(code: str, *, short: bool) -> Text:
    return Text(_SHORT_STATUS[code], style=MEASURE_STYLES[code]) if short else measure_status_text(code)


def spark_cell(row: ScorecardRow) -> Text:
    return Text(sparkline_words(row.recent) or "no values", style=Style(dim=not row.recent))


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


class ScorecardScreen(Screen[str | None]):
    """Every measure where it stands. Dismisses with an action's ref to go to, or None."""

    CSS_PATH = sheet("scorecard.tcss")
    AUTO_FOCUS = "#scorecard-table"
    BINDINGS: ClassVar = [
        Binding("enter", "open", "History", id="scorecard.open", priority=True),
        Binding("s", "sort", "Sort", id="scorecard.sort", tooltip="Sort by status, ref or name"),
        Binding("slash", "filter", "Filter", key_display="/", id="scorecard.filter"),
        Binding("escape", "close", "Back", id="scorecard.close", tooltip="Clear the filter, or else back"),
    ]

    def __init__(self, findings: Iterable[Finding] = (), *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.findings = tuple(findings)
        self.sort = "status"
        self.query_filter: ScorecardFilter = parse_scorecard_filter("")
        self.rows: list[ScorecardRow] = []  # every measure, in plan order
        self.shown: list[ScorecardRow] = []  # sorted and filtered, as the table shows them
        self._wide: bool | None = None  # the column layout last drawn
        self._layout: list[tuple[str, str, int]] = []  # the columns drawn: (key, label, width)
        self._laid_out_for = 0  # the screen width the columns were laid out for
        self._filter_text = ""
        self._problem: str | None = None  # why the filter typed cannot be read, until it can

    def compose(self) -> ComposeResult:
        yield Static(id="scorecard-heading")
        yield FilterBox(placeholder=FILTER_PLACEHOLDER, id="scorecard-filter", compact=True)
        yield MeasureTable(self._cells, id="scorecard-table")
        yield Static(id="scorecard-selected")
        yield PlanFooter()

    def on_mount(self) -> None:
        self._read_model()

    # --- what is shown --------------------------------------------------------------------------------

    def _read_model(self) -> None:
        model = self.app.model
        self.rows = list(model.scorecard) if model is not None else []
        self._fill()

    @on(MeasuresChanged)
    @on(PlanLoaded)
    def _measures_moved(self) -> None:
        self._read_model()

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._laid_out_for:
            self._fill()

    def _columns(self, width: int) -> list[tuple[str, str, int]]:
        """(key, label, width) of each column in `width` cells; the name takes what is left."""
        if self._wide:
            fixed = [
                ("ref", "Ref", 9),
                ("latest", "Latest", 13),
                ("period", "Period", 13),
                ("target", "Target", 11),
                ("status", "Status", 19),
                ("trend", "Trend", 10),
                ("spark", "Last 12 periods", 16),
            ]
        else:
            fixed = [
                ("ref", "Ref", 7),
                ("latest", "Latest", 14),
                ("target", "Target", 9),
                ("status", "Status", 12),
                ("trend", "Trend", 9),
                ("spark", "Last 12", 13),
            ]
        name_width = max(width - sum(w for _, _, w in fixed), 12)
        return [fixed[0], ("name", "Measure", name_width), *fixed[1:]]

    def _cells(self, row: ScorecardRow) -> list[Text]:
        """A row's cells in the columns of the current layout (the table asks only for rows in view)."""
        measure, standing = row.measure, row.standing
        unit, wide = measure.unit, bool(self._wide)
        latest = measure_value_words(standing.value, unit)
        if not wide and standing.period:
            latest = f"{latest} {period_short_words(standing.period)}"
        by_key = {
            "ref": Text(visible(measure.ref), style="bold"),
            "name": Text(visible(measure.name)),
            "latest": Text(latest),
            "period": Text(period_words(standing.period) if standing.period else "–"),
            "target": Text(target_words(measure.target, measure.direction, unit)),
            "status": _status_cell(standing.status, short=not wide),
            "trend": Text(trend_words(standing.trend)),
            "spark": spark_cell(row),
        }
        return [by_key[key] for key, _label, _width in self._layout]

    def _fill(self) -> None:
        table = self.query_one("#scorecard-table", MeasureTable)
        kept = self.selected.measure.ref if self.selected is not None else None
        width = self.size.width or self.app.size.width
        self._laid_out_for = width
        self._wide = width >= WIDE
        # What the table has for its columns: the screen's width less the table's own (the cursor's
        # mark and, with more rows than fit, its scrollbar).
        self._layout = self._columns((table.size.width or width) - table.styles.scrollbar_size_vertical - 2)
        self.shown = self.query_filter.apply(sorted_rows(self.rows, self.sort))
        position = next((i for i, row in enumerate(self.shown) if row.measure.ref == kept), 0)
        table.set_rows(self._layout, self.shown, position)
        self._show_heading()
        self._show_selected()

    def _show_heading(self) -> None:
        text = Text("Scorecard", style="bold")
        as_at = self.app.as_at
        text.append(f"  ·  as at {day_text(as_at)}" if as_at is not None else "")
        shown, total = len(self.shown), len(self.rows)
        text.append(f"  ·  {plural(total, 'measure')}")
        if shown != total:
            text.append(f", {shown} shown")
        counts = {code: 0 for code in STATUS_ORDER}
        for row in self.rows:
            counts[row.standing.status] += 1
        for code in STATUS_ORDER:
            if counts[code]:
                text.append("  ")
                text.append(f"{measure_status_words(code)} {counts[code]}", style=MEASURE_STYLES[code])
        text.append(f"  ·  sorted by {SORT_WORDS[self.sort]}", style="dim")
        self.query_one("#scorecard-heading", Static).update(text)

    @property
    def selected(self) -> ScorecardRow | None:
        if not self.shown:
            return None
        return self.query_one("#scorecard-table", MeasureTable).current

    def _show_selected(self) -> None:
        row = self.selected
        if self._problem is not None:
            shown = Text(f"✖ {visible(self._problem)}", style="bold")
        elif row is not None:
            shown = measure_line(row)
        elif self.rows:
            shown = Text("No measure matches the filter. Escape clears it.", style="italic")
        elif self.app.model is not None and not self.app.model.measures_read:
            shown = Text("Reading the measures…", style="italic")  # a first frame from a snapshot
        else:
            shown = Text(
                "No measures yet. Add one with plantui measure add REF NAME, "
                "or import a scorecard with plantui measure import FILE.",
                style="italic",
            )
        self.query_one("#scorecard-selected", Static).update(shown)

    @on(MeasureTable.CursorMoved, "#scorecard-table")
    def _highlighted(self, event: MeasureTable.CursorMoved) -> None:
        event.stop()
        self._show_selected()

    # --- keys -----------------------------------------------------------------------------------------

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._fill()

    @on(MeasureTable.HeaderClicked, "#scorecard-table")
    def _header_clicked(self, event: MeasureTable.HeaderClicked) -> None:
        event.stop()
        sort = _SORT_OF_COLUMN.get(event.key)
        if sort is not None:
            self.sort = sort
            self._fill()

    def action_filter(self) -> None:
        self.query_one("#scorecard-filter", FilterBox).open()

    @on(Input.Changed, "#scorecard-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value != self._filter_text:
            self._apply_filter(event.value)

    def set_filter(self, text: str) -> None:
        """Put `text` in the `/` box and filter by it; a term it cannot read is said under the table,
        and the table stays as it was."""
        box = self.query_one("#scorecard-filter", FilterBox)
        if box.value != text:
            box.value = text
        self._apply_filter(text)

    def _apply_filter(self, text: str) -> None:
        self._filter_text = text
        try:
            self.query_filter = parse_scorecard_filter(text)
        except InputError as error:
            self._problem = str(error)
            self._show_selected()
            return
        self._problem = None
        self._fill()

    @on(Input.Submitted, "#scorecard-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.set_focus(self.query_one("#scorecard-table", MeasureTable))

    def action_open(self) -> None:
        box = self.query_one("#scorecard-filter", FilterBox)
        if box.has_focus:
            self.set_focus(self.query_one("#scorecard-table", MeasureTable))
            return
        row = self.selected
        if row is None:
            self.app.bell()
            return
        from plantui.tui.screens.measure import MeasureScreen

        self.app.push_screen(MeasureScreen(row.measure.ref, self.findings), self._measure_closed)

    def _measure_closed(self, ref: str | None) -> None:
        if ref:
            self.dismiss(ref)

    def action_close(self) -> None:
        box = self.query_one("#scorecard-filter", FilterBox)
        if box.has_focus or box.value:
            had_focus = box.has_focus
            self.set_filter("")
            if had_focus:
                self.set_focus(self.query_one("#scorecard-table", MeasureTable))
            return
        self.dismiss(None)
