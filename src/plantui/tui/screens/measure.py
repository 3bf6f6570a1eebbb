"""One measure in full (Enter on the scorecard): its definition, a sparkline of every period, what it
is linked to, every value recorded per period with its corrections, and its definition's history.

`MeasureScreen(ref, findings)` reads the measure from the app's plan model, as the scorecard does,
and redraws when the measures move. The linked actions are the choices of its list: Enter on one
dismisses with its ref (the scorecard passes it on to the main screen, which goes to it); the
objectives and findings are listed with them, to read. Escape goes back to the scorecard.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from plantui.domain.document import MeasureDoc
from plantui.domain.measures import standing_values
from plantui.domain.scorecard import period_histories, scorecard_row
from plantui.domain.text import visible
from plantui.domain.views import Finding
from plantui.domain.wording import (
    measure_change_words,
    measure_status_words,
    measure_value_words,
    period_words,
    sparkline_words,
    trend_words,
)
from plantui.tui import presentation as p
from plantui.tui.messages import MeasuresChanged, PlanLoaded
from plantui.tui.styles import sheet
from plantui.tui.widgets.marked_list import MarkedOptionList
from plantui.tui.widgets.plan_footer import PlanFooter

_LABEL = Style(bold=True, dim=True)
ACTION_PREFIX = "action:"


def history_text(measure: MeasureDoc) -> Text:
    """Every period newest first with each value recorded for it, then the definition's changes."""
    text = Text(end="")
    text.append("Values by period, newest first\n", style=_LABEL)
    histories = period_histories(measure)
    if not histories:
        text.append("No values recorded yet.\n", style=Style(dim=True))
    for history in histories:
        text.append(f"{period_words(history.period)}  ", style=Style(bold=True))
        standing = history.recorded[0]
        text.append(measure_value_words(standing.value, measure.unit))
        text.append("  ")
        text.append(measure_status_words(history.status), style=p.MEASURE_STYLES[history.status])
        if history.trend is not None:
            text.append(f"  {trend_words(history.trend)}")
        for recorded in history.recorded:
            text.append("\n    ")
            if not recorded.stands:
                text.append(
                    f"was {measure_value_words(recorded.value, measure.unit)}, ", style=Style(dim=True)
                )
            text.append(f"recorded {p.when(recorded.at)}", style=Style(dim=True))
            text.append(" by ", style=Style(dim=True))
            text.append(visible(recorded.author), style=Style(italic=True))
            if not recorded.stands:
                text.append(" (corrected since)", style=Style(dim=True))
            if recorded.note:
                text.append(f"  “{visible(recorded.note)}”")
        text.append("\n")
    text.append("\nIts definition, newest change first\n", style=_LABEL)
    if not measure.changes:
        text.append("No changes recorded.\n", style=Style(dim=True))
    for change in reversed(measure.changes):
        text.append(p.when(change.at), style=Style(dim=True))
        text.append("  ")
        text.append(visible(change.author), style=Style(italic=True))
        text.append(f"  {measure_change_words(change.field, change.old, change.new, measure.unit)}\n")
    return text


class MeasureScreen(Screen[str | None]):
    """A measure's history and links. Dismisses with a linked action's ref to go to, or None."""

    CSS_PATH = sheet("measure.tcss")
    AUTO_FOCUS = "#measure-links"
    BINDINGS: ClassVar = [
        Binding("enter", "go", "Go to action", id="measure.go", priority=True),
        Binding("escape", "close", "Back", id="measure.close"),
    ]

    def __init__(self, ref: str, findings: Iterable[Finding] = (), *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.ref = ref
        self.findings = tuple(findings)

    def compose(self) -> ComposeResult:
        yield Static(id="measure-heading")
        yield Static(id="measure-spark-label")
        yield Sparkline([], id="measure-sparkline")
        yield MarkedOptionList(id="measure-links")
        with VerticalScroll(id="measure-history"):
            yield Static(id="measure-history-body")
        yield PlanFooter()

    def on_mount(self) -> None:
        self._draw()

    @on(MeasuresChanged)
    @on(PlanLoaded)
    def _measures_moved(self) -> None:
        self._draw()

    @property
    def measure(self) -> MeasureDoc | None:
        model = self.app.model
        return next((m for m in model.measures if m.ref == self.ref), None) if model is not None else None

    def _draw(self) -> None:
        measure = self.measure
        heading = self.query_one("#measure-heading", Static)
        if measure is None:
            heading.update(Text(f"Measure {visible(self.ref)} is no longer in the plan.", style="bold"))
            return
        row = scorecard_row(measure)
        heading.update(p.measure_line(row))
        standing = standing_values(measure.values)
        values = [entry.value for entry in standing.values()]
        label = Text("Every period", style=_LABEL)
        if standing:
            first, last = next(iter(standing)), next(reversed(standing))
            label.append(f"  {period_words(first)} to {period_words(last)}", style=_LABEL)
            label.append(f"   last 12: {sparkline_words(row.recent)}")
            label.append(
                f"  ({'higher' if measure.direction == 'higher' else 'lower'} is better)", style="dim"
            )
        else:
            label.append("  no values yet", style=_LABEL)
        self.query_one("#measure-spark-label", Static).update(label)
        self.query_one("#measure-sparkline", Sparkline).data = values
        self._fill_links(measure)
        self.query_one("#measure-history-body", Static).update(history_text(measure))

    def _fill_links(self, measure: MeasureDoc) -> None:
        model = self.app.model
        listing = self.query_one("#measure-links", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        options: list[Option] = []
        for ref in measure.actions:
            row = model.row(ref) if model is not None else None
            text = Text(f"Action {ref}  ", style="bold")
            if row is not None:
                text.append_text(p.status_text(row.status))
                text.append("  ")
                text.append_text(p.plain(row.title))
            options.append(Option(text, id=f"{ACTION_PREFIX}{ref}"))
        for ref in measure.objectives:
            node = model.node_by_ref.get(ref) if model is not None else None
            text = Text(f"Objective {ref}  ", style="bold")
            text.append_text(p.plain(node.title if node is not None else ""))
            options.append(Option(text, disabled=True))
        for position in measure.findings:
            text = Text(f"Finding {position + 1}  ", style="bold")
            if position < len(self.findings):
                text.append_text(p.plain(self.findings[position].text))
            options.append(Option(text, disabled=True))
        if not options:
            options.append(
                Option(Text("Linked to nothing yet: plantui measure link", style="italic"), disabled=True)
            )
        listing.add_options(options)
        if measure.actions:
            listing.highlighted = min(highlighted or 0, len(measure.actions) - 1)

    def action_go(self) -> None:
        listing = self.query_one("#measure-links", OptionList)
        if listing.highlighted is None:
            self.app.bell()
            return
        listing.action_select()

    @on(OptionList.OptionSelected, "#measure-links")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith(ACTION_PREFIX):
            self.dismiss(option_id.removeprefix(ACTION_PREFIX))

    def action_close(self) -> None:
        self.dismiss(None)
