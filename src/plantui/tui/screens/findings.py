"""The inspection findings, each with the actions under the refs it cites rolled up.

`FindingsScreen(rollups, today)` takes `store.board.rolled_up_findings(...)` and does no database
work. Each finding shows its source and words, the status counts of the actions under its refs
(symbol and number), whether it is at risk (a ⚠ and the words "AT RISK", with the reasons), and the
refs it cites, a ref that names nothing in the plan marked ✖, and the measures linked to it, each
with its status, latest value and sparkline. Choosing one (Enter or a click)
dismisses with a filter expression for the action table, `theme:1.1.1 theme:2.1`, which picks the
actions under any of those refs; Escape dismisses with None.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from plantui.domain.document import MeasureDoc
from plantui.domain.findings import FindingRollup
from plantui.domain.statuses import STATUSES
from plantui.domain.text import visible
from plantui.domain.wording import day_text, plural
from plantui.tui.presentation import measure_brief
from plantui.tui.styles import sheet
from plantui.tui.widgets.marked_list import MarkedOptionList
from plantui.tui.widgets.plan_footer import PlanFooter

AT_RISK = "⚠ AT RISK"
NOT_AT_RISK = "· not at risk"
NAMES_NOTHING = "✖"


def finding_filter(rollup: FindingRollup) -> str | None:
    """The filter expression for the actions under the refs a finding cites; None when none names
    anything in the plan."""
    refs = [cited.ref for cited in rollup.refs if not cited.names_nothing]
    return " ".join(f"theme:{ref}" for ref in refs) or None


def counts_text(rollup: FindingRollup) -> Text:
    """`7 actions  ✔ 3  ● 2  ▲ 1  ✖ 1`: each status present, symbol and number in its colour."""
    total = len(rollup.actions)
    text = Text(f"{plural(total, 'action')}", style="bold")
    for s in STATUSES:
        if rollup.counts[s.code]:
            text.append("  ")
            text.append(f"{s.symbol} {rollup.counts[s.code]} {s.short.lower()}", style=s.colour)
    return text


def refs_text(rollup: FindingRollup) -> Text:
    text = Text("Cites: ", style="bold")
    pieces = []
    for cited in rollup.refs:
        if cited.names_nothing:
            pieces.append(Text(f"{NAMES_NOTHING} {cited.ref} (names nothing in the plan)", style="bold"))
        else:
            piece = Text(f"{cited.ref} ")
            piece.append(f"{cited.kind} · {len(cited.actions)}", style="dim")
            pieces.append(piece)
    text.append_text(Text(", ").join(pieces) if pieces else Text("no refs", style="dim italic"))
    return text


def finding_text(rollup: FindingRollup, measures: Sequence[MeasureDoc] = ()) -> Text:
    """A finding as several lines: number, risk and source; its words; the counts; refs; its measures;
    reasons."""
    finding = rollup.finding
    text = Text(f"{rollup.number}. ", style="bold")
    if rollup.at_risk:
        text.append(AT_RISK, style="bold reverse")
    else:
        text.append(NOT_AT_RISK, style="dim")
    text.append("  ")
    text.append(visible(finding.source), style="italic")
    text.append("\n")
    text.append(visible(finding.text))
    text.append("\n")
    text.append_text(counts_text(rollup))
    text.append("\n")
    text.append_text(refs_text(rollup))
    for measure in measures:
        text.append("\n  ")
        text.append_text(measure_brief(measure))
    for reason in rollup.reasons:
        text.append(f"\n  ⚠ {visible(reason)}", style="bold")
    return text


def heading_text(rollups: Iterable[FindingRollup], today: date) -> Text:
    rollups = list(rollups)
    risky = sum(1 for r in rollups if r.at_risk)
    text = Text("Inspection findings", style="bold")
    text.append(f"  ·  as at {day_text(today)}  ·  {plural(len(rollups), 'finding')}  ·  ")
    text.append(f"⚠ {risky} at risk", style="bold")
    text.append(
        "  (an action under it off track or overdue, a linked measure off target, "
        "or a ref that names nothing)",
        style="dim",
    )
    return text


class FindingsScreen(Screen[str | None]):
    """The findings, rolled up. Dismisses with a filter expression for the action table, or None."""

    CSS_PATH = sheet("findings.tcss")
    AUTO_FOCUS = "#findings-list"
    BINDINGS: ClassVar = [
        Binding("enter", "choose", "Show its actions", id="findings.choose", priority=True),
        Binding("r", "risky_only", "At risk only", id="findings.risky"),
        Binding("escape", "close", "Back", id="findings.close"),
    ]

    def __init__(
        self,
        rollups: Iterable[FindingRollup],
        today: date,
        *,
        measures: Mapping[int, Sequence[MeasureDoc]] | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(name=name)
        self.rollups = tuple(rollups)
        self.measures = measures or {}  # finding number -> its linked measures
        self.today = today
        self.risky_only = False

    def compose(self) -> ComposeResult:
        yield Static(heading_text(self.rollups, self.today), id="findings-heading")
        yield MarkedOptionList(id="findings-list")
        yield Static(id="findings-problem")
        yield PlanFooter()

    def on_mount(self) -> None:
        self._fill()

    def shown(self) -> list[FindingRollup]:
        return [r for r in self.rollups if r.at_risk or not self.risky_only]

    def _fill(self) -> None:
        listing = self.query_one("#findings-list", OptionList)
        listing.clear_options()
        shown = self.shown()
        if not shown:
            listing.add_option(Option(Text("No findings to show.", style="italic"), disabled=True))
            return
        options: list[Option | None] = []
        for rollup in shown:
            if options:
                options.append(None)  # a rule between findings
            text = finding_text(rollup, self.measures.get(rollup.number, ()))
            options.append(Option(text, id=f"finding-{rollup.number}"))
        listing.add_options(options)
        listing.highlighted = 0

    def action_risky_only(self) -> None:
        self.risky_only = not self.risky_only
        self.sub_title = "at risk only" if self.risky_only else ""
        self._fill()

    def action_choose(self) -> None:
        listing = self.query_one("#findings-list", OptionList)
        if listing.highlighted is not None:
            listing.action_select()

    @on(OptionList.OptionSelected, "#findings-list")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        number = int((event.option.id or "finding-0").removeprefix("finding-"))
        rollup = next(r for r in self.rollups if r.number == number)
        expression = finding_filter(rollup)
        if expression is None:
            self.app.bell()
            self.query_one("#findings-problem", Static).update(
                Text(f"✖ finding {number} cites nothing that names a part of the plan: no actions to show")
            )
            return
        self.dismiss(expression)

    def action_close(self) -> None:
        self.dismiss(None)
