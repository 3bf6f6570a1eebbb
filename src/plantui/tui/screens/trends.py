"""The Trends screen (`T`): how the status counts of the plan, a theme or an area moved over time.

`TrendsScreen(scope)` shows the points the board report's trend chart shows (`io.reports.trend`:
the last six boards, or month ends when no board has met, then the day itself), rebuilt from the
history at the workbench's as-at day or `--today`. Each point is one bar drawn with characters, each
status's share of it drawn with that status's own symbol (so it reads in monochrome and with
`NO_COLOR`; colour only adds to it), then a table of the counts as numbers, with the change from the
first point to the last.

It reads the trend in a thread worker, and again whenever the plan changes under it (a saved change,
a colleague's change, a reload, a switch to or from an as-at view), so it never shows a count the
plan no longer has (a theme or area the plan no longer has gives way to the whole plan, with a word
saying so). `s` picks the scope, `[` and `]` step through the plan, its themes and areas in
plan order; Escape goes back. It starts at the node selected in the theme tree.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date
from functools import partial
from typing import ClassVar

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Static

from plantui.domain.errors import PlantuiError
from plantui.domain.statuses import STATUSES
from plantui.domain.text import visible
from plantui.domain.views import NodeInfo
from plantui.domain.wording import day_text, plural
from plantui.io.reports.trend import TrendPoint, points_word, status_trend
from plantui.tui.commands import PaletteCommand
from plantui.tui.messages import PlanChanged, PlanLoaded
from plantui.tui.styles import sheet
from plantui.tui.widgets.plan_footer import PlanFooter
from plantui.tui.workbench import Workbench

PLAN = ""  # the scope of the whole plan (the tree's root)
SCOPE_KINDS = ("theme", "area")  # what the picker and `[` `]` offer besides the whole plan
LABEL_WIDTH = 11  # "30 Nov 2022"
TOTAL_WIDTH = 7  # "  10000"


def scope_name(node: NodeInfo | None) -> str:
    """`Whole plan`, `Theme 2: Help and protection`: the scope in words, user text kept as text."""
    if node is None:
        return "Whole plan"
    return f"{node.kind.capitalize()} {node.ref}: {visible(node.title)}"


def scope_nodes(nodes: Sequence[NodeInfo]) -> list[NodeInfo]:
    """The themes and areas the picker offers, in plan order."""
    return [node for node in nodes if node.kind in SCOPE_KINDS]


def segment_widths(counts: Sequence[int], length: int) -> list[int]:
    """How many characters each count gets of a bar `length` long: in proportion, the remainders
    given to the largest fractions, and never none for a count above nought (so a lone off-track
    action in ten thousand still shows)."""
    total = sum(counts)
    if total == 0:
        return [0] * len(counts)
    length = max(length, sum(1 for c in counts if c))
    exact = [c * length / total for c in counts]
    widths = [max(1, int(e)) if c else 0 for c, e in zip(counts, exact, strict=True)]
    while sum(widths) > length:  # the minimum of one pushed it over: take from the most generous
        i = max((i for i, w in enumerate(widths) if w > 1), key=lambda i: widths[i] - exact[i])
        widths[i] -= 1
    while sum(widths) < length:
        i = max((i for i, c in enumerate(counts) if c), key=lambda i: exact[i] - widths[i])
        widths[i] += 1
    return widths


def point_label(point: TrendPoint) -> str:
    return day_text(point.day)


def bar_line(point: TrendPoint, length: int, room: int) -> Text:
    """One point: its day, its bar `length` long (each status drawn with its symbol, in its colour),
    then its total in a column `room` characters from the bar's start."""
    counts = [point.counts[s.code] for s in STATUSES]
    line = Text(f"{point_label(point):>{LABEL_WIDTH}}  ")
    for status_, width in zip(STATUSES, segment_widths(counts, length), strict=True):
        if width:
            line.append(status_.symbol * width, style=status_.colour)
    line.append(" " * max(0, room - len(line) + LABEL_WIDTH + 2))
    line.append(f"{point.counts.total:>{TOTAL_WIDTH}}")
    return line


def bar_room(width: int) -> int:
    """The characters the longest bar gets in `width` columns, beside the day and the total."""
    return max(6, width - LABEL_WIDTH - 2 - TOTAL_WIDTH)


def bars(points: Sequence[TrendPoint], width: int) -> Text:
    """Every point's bar to one scale: a character an action, or fewer where the longest would not
    fit in `width` columns with its label and total."""
    room = bar_room(width)
    per_character = actions_per_character(points, room)
    lines = [bar_line(p, round(p.counts.total / per_character), room) for p in points]
    return Text("\n").join(lines)


def actions_per_character(points: Sequence[TrendPoint], room: int) -> float:
    """One action a character while the longest bar fits in `room`, else as many as make it fit."""
    return max(1.0, max((p.counts.total for p in points), default=0) / room)


def scale_text(points: Sequence[TrendPoint], width: int) -> Text:
    """What one character of a bar stands for."""
    per_character = actions_per_character(points, bar_room(width))
    if per_character == 1:
        return Text("One character stands for one action.", style="dim")
    about = f"{per_character:.1f}" if per_character < 10 else f"{round(per_character):,}"
    return Text(f"One character stands for about {about} actions.", style="dim")


def key_text() -> Text:
    text = Text()
    for i, s in enumerate(STATUSES):
        if i:
            text.append("  ")
        text.append(s.symbol, style=s.colour)
        text.append(f" {s.short}")
    return text


def counts_table(points: Sequence[TrendPoint], width: int) -> Text:
    """The counts as numbers: a row per point, a column per status (symbol and words), the total,
    and the change from the first point to the last. Laid out here rather than by Rich's Table,
    which at 80 columns cut "Complete" short: a header too wide for the screen wraps between its
    words, never inside one."""
    labels = ["Point", *(f"{s.symbol} {s.short}" for s in STATUSES), "Total"]
    rows = [[point_label(p), *(str(p.counts[s.code]) for s in STATUSES), str(p.counts.total)] for p in points]
    if len(points) > 1:
        first, last = points[0].counts, points[-1].counts
        rows.append(
            [
                "Change",
                *(
                    f"{last[s.code] - first[s.code]:+d}" if last[s.code] != first[s.code] else "0"
                    for s in STATUSES
                ),
                f"{last.total - first.total:+d}" if last.total != first.total else "0",
            ]
        )
    cells = [max(len(row[i]) for row in rows) for i in range(len(labels))]
    widths = [max(len(label), cell) for label, cell in zip(labels, cells, strict=True)]
    if sum(widths) + 2 * (len(widths) - 1) > width:
        full = widths
        widths = [
            max(max(len(word) for word in label.split()), cell)
            for label, cell in zip(labels, cells, strict=True)
        ]
        spare = width - sum(widths) - 2 * (len(widths) - 1)
        for i in sorted(range(len(widths)), key=lambda i: full[i] - widths[i]):  # the nearest whole first
            if 0 < full[i] - widths[i] <= spare:
                spare -= full[i] - widths[i]
                widths[i] = full[i]
    headers = [textwrap.wrap(label, w) for label, w in zip(labels, widths, strict=True)]
    height = max(len(lines) for lines in headers)
    out = Text(no_wrap=True, overflow="crop")
    for line in range(height):
        for i, (lines, w) in enumerate(zip(headers, widths, strict=True)):
            at = line - (height - len(lines))  # headers sit on the rule, their words bottom-aligned
            word = lines[at] if at >= 0 else ""
            cell = word.ljust(w) if i == 0 else word.rjust(w)
            if 0 < i <= len(STATUSES) and at == 0:
                symbol = STATUSES[i - 1].symbol
                cell = cell.replace(symbol, "", 1)
                gap = cell.index(word[1:]) if word[1:] else len(cell)
                out.append(("  " if i else "") + cell[:gap])
                out.append(symbol, style=STATUSES[i - 1].colour)
                out.append(cell[gap:])
            else:
                out.append(("  " if i else "") + cell)
        out.append("\n")
    out.append("─" * (sum(widths) + 2 * (len(widths) - 1)) + "\n")
    for r, row in enumerate(rows):
        change = len(points) > 1 and r == len(rows) - 1
        for i, (value, w) in enumerate(zip(row, widths, strict=True)):
            cell = value.ljust(w) if i == 0 else value.rjust(w)
            out.append(("  " if i else "") + cell, style="bold" if change and i == 0 else "")
        if r < len(rows) - 1:
            out.append("\n")
    return out


class TrendsScreen(Screen[None]):
    """Status counts over time for one scope; read-only. Dismisses with None."""

    CSS_PATH = sheet("trends.tcss")
    AUTO_FOCUS = "#trends-body"
    BINDINGS: ClassVar = [
        Binding("s", "choose_scope", "Scope", tooltip="The plan, a theme or an area", id="trends.scope"),
        Binding(
            "left_square_bracket",
            "step_scope(-1)",
            "Previous",
            key_display="[",
            tooltip="The previous scope: the plan, then each theme and area in plan order",
            id="trends.previous",
        ),
        Binding(
            "right_square_bracket",
            "step_scope(1)",
            "Next",
            key_display="]",
            tooltip="The next scope: the plan, then each theme and area in plan order",
            id="trends.next",
        ),
        Binding("escape", "close", "Back", id="trends.close"),
    ]

    app: Workbench

    def __init__(self, scope: str = PLAN, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.scope = scope
        self.points: tuple[TrendPoint, ...] | None = None  # None until the first read is back
        self.problem = ""
        self._reading = False
        self._stale = False  # the plan changed while a read was under way: read again after it

    def compose(self) -> ComposeResult:
        yield Static(id="trends-heading")
        with VerticalScroll(id="trends-body", can_focus=True):
            yield Static(id="trends-chart")
        yield PlanFooter()

    def on_mount(self) -> None:
        self._draw()
        self.refresh_trend()

    # --- reading --------------------------------------------------------------------------------------

    def _node(self, ref: str) -> NodeInfo | None:
        model = self.app.model
        return None if model is None or not ref else model.node_by_ref.get(ref)

    def refresh_trend(self) -> None:
        """Read the trend again for the scope, the as-at day and today (in a thread worker)."""
        if self._reading:
            self._stale = True
            return
        model = self.app.model
        if model is None:
            return  # the plan is still loading; PlanLoaded brings us back
        self._reading, self._stale = True, False
        rows = list(model.rows)
        job = partial(self._read, self.scope or None, self.app.today, self.app.as_at, rows)
        self.run_worker(job, thread=True, group="trends", exit_on_error=False)

    def _read(self, scope: str | None, today: date, as_at: date | None, rows) -> None:
        points: tuple[TrendPoint, ...] | None = None
        problem = ""
        try:
            points = status_trend(self.app.database, today=today, as_at=as_at, scopes=(scope,), now=rows)[
                scope
            ]
        except PlantuiError as error:
            problem = f"✖ The trend could not be read: {error}"
        self.app.call_from_thread(self._read_done, scope or PLAN, points, problem)

    def _read_done(self, scope: str, points: tuple[TrendPoint, ...] | None, problem: str) -> None:
        self._reading = False
        if self._stale or scope != self.scope:
            self.refresh_trend()  # what came back is already out of date
            if scope != self.scope:
                return
        self.points, self.problem = points, problem
        self._draw()

    @on(PlanChanged)
    @on(PlanLoaded)
    def _plan_changed(self) -> None:
        model = self.app.model
        if self.scope != PLAN and model is not None and self.scope not in model.node_by_ref:
            # The plan was replaced (an import) and no longer has this theme or area.
            gone, self.scope = self.scope, PLAN
            self.points = None
            self.notify(f"{gone} is no longer in the plan: showing the whole plan", timeout=6)
        self.refresh_trend()

    # --- drawing --------------------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self._draw()

    def _heading(self) -> Text:
        node = self._node(self.scope)
        text = Text("Trends", style="bold")
        text.append(f"  ·  {scope_name(node)}")
        if self.points:
            text.append(f"  ·  {plural(self.points[-1].counts.total, 'action')}")
        text.append("\n")
        if self.points:
            last = self.points[-1]
            now = (
                f"as at {day_text(last.day)}"
                if self.app.as_at is not None
                else f"today, {day_text(last.day)}"
            )
            text.append(f"Status counts at {points_word(self.points)} and {now}")
        else:
            text.append("Reading the status counts from the history…", style="italic")
        return text

    def _draw(self) -> None:
        if not self.is_mounted:
            return
        self.query_one("#trends-heading", Static).update(self._heading())
        chart = self.query_one("#trends-chart", Static)
        if self.problem:
            chart.update(Text(self.problem, style="bold"))
            return
        if self.points is None:
            chart.update("")
            return
        if not any(p.counts.total for p in self.points):
            chart.update(Text("No actions in this scope at any of these points.", style="italic"))
            return
        width = max(40, self.size.width - 4)  # the body's padding and its scroll bar
        body = [key_text(), bars(self.points, width), scale_text(self.points, width), Text()]
        chart.update(Group(*body, counts_table(self.points, width)))

    # --- keys -----------------------------------------------------------------------------------------

    def scopes(self) -> list[str]:
        model = self.app.model
        return [PLAN, *(node.ref for node in scope_nodes(model.nodes if model else []))]

    def show_scope(self, scope: str) -> None:
        if scope == self.scope:
            return
        self.scope = scope
        self.points = None
        self._draw()
        self.refresh_trend()

    def action_step_scope(self, step: int) -> None:
        scopes = self.scopes()
        at = scopes.index(self.scope) if self.scope in scopes else 0
        self.show_scope(scopes[(at + step) % len(scopes)])

    def action_choose_scope(self) -> None:
        from plantui.tui.dialogs.trend_scope import TrendScopeDialog

        model = self.app.model
        nodes = scope_nodes(model.nodes if model else [])

        def chosen(scope: str | None) -> None:
            if scope is not None:
                self.show_scope(scope)

        self.app.push_screen(TrendScopeDialog(nodes, self.scope), chosen)

    def action_close(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            PaletteCommand(
                "Trends: choose the scope…", "the plan, a theme or an area (s)", self.action_choose_scope
            ),
            PaletteCommand("Trends: previous scope", "([)", partial(self.action_step_scope, -1)),
            PaletteCommand("Trends: next scope", "(])", partial(self.action_step_scope, 1)),
            PaletteCommand("Back to the plan", "leave the trends (Esc)", self.action_close),
        ]
