"""The RAG editor's reading side: the selected action in full, and its history newest first.

The row's own fields show from memory when the cursor moves; its history arrives a moment later from
a database worker (`show_history`), so moving the cursor never waits for the database. The pane is
drawn just after the frame that shows the key's own effect (the table's cursor, a changed row), and
once however many times it was asked to in between: its text changes height, and laying the screen
out again would hold that frame back.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from plantui.domain.evidence import impact_words, standing_evidence
from plantui.domain.text import visible
from plantui.domain.views import ActionRow, HistoryEntry, NodeInfo
from plantui.domain.wording import day_text, plural
from plantui.tui import presentation as p

_LABEL = Style(bold=True, dim=True)
_CARRIED = Style(italic=True)


def _field(text: Text, label: str, value: Text, carried: str = "") -> None:
    """A labelled field; `carried` ("carried down from 1.1.1.5") says, in words, that its value was
    not printed in the action's own row."""
    text.append(f"{label}\n", style=_LABEL)
    text.append_text(value)
    if carried:
        text.append(f"\n({carried})", style=_CARRIED)
    text.append("\n")


class ActionDetail(VerticalScroll, can_focus=True):
    """Scrolls with the arrows, `j`/`k` and the mouse when focused."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "scroll_up", "Up", show=False),
        Binding("j", "scroll_down", "Down", show=False),
    ]

    def __init__(self, *, today: date, id: str | None = None) -> None:
        super().__init__(id=id)
        self.today = today
        self.row: ActionRow | None = None
        self.history: list[HistoryEntry] | None = None
        self._node: NodeInfo | None = None
        self._draw_pending = False

    def compose(self):
        yield Static(id="detail-body")

    def show(self, row: ActionRow | None, node: NodeInfo | None = None) -> None:
        """Show an action's fields; its history follows with `show_history`."""
        if row is None or self.row is None or row.id != self.row.id:
            self.history = None
        self.row = row
        self._node = node
        self._draw_soon()

    def judge_as_at(self, day: date) -> None:
        """Judge due and overdue against `day` from now on (the plan shown as at another day)."""
        if day != self.today:
            self.today = day
            self._draw_soon()

    def show_history(self, ref: str, history: list[HistoryEntry]) -> None:
        if self.row is not None and self.row.ref == ref:
            self.history = history
            self._draw_soon()

    def _draw_soon(self) -> None:
        if not self._draw_pending:
            self._draw_pending = True
            self.call_after_refresh(self._draw_now)

    def _draw_now(self) -> None:
        self._draw_pending = False
        if self.row is None:
            self._draw_node(self._node)
        else:
            self._draw()

    def redraw(self) -> None:
        """Draw again from what is held (the measures moved)."""
        self._draw_soon()

    def _measures(self, text: Text, ref: str) -> None:
        """The measures linked to the action, each with its status, latest value and sparkline."""
        model = getattr(self.app, "model", None)
        linked = model.measures_of_action(ref) if model is not None else []
        if not linked:
            return
        lines = Text(end="")
        for i, measure in enumerate(linked):
            if i:
                lines.append("\n")
            lines.append_text(p.measure_brief(measure))
        _field(text, "Measures of impact", lines)

    def _impact(self) -> Text:
        """Whether its impact is evidenced (a symbol and words), then each piece of evidence standing:
        its day, who recorded it, what it says and where it is, all as typed (never markup)."""
        row = self.row
        assert row is not None
        text = Text(impact_words(row.impact), style=Style(bold=row.impact), end="")
        if self.history is None:
            if row.evidence:
                text.append(
                    f"\n{plural(row.evidence, 'piece', 'pieces')} of evidence: loading…",
                    style=Style(dim=True),
                )
            return text
        found = standing_evidence(self.history)
        if not found:  # marked, but its evidence was taken back since (plantui check warns)
            text.append("\nNo evidence stands now · i adds some", style=Style(dim=True))
        for item in found:
            text.append("\n")
            text.append(item.day.isoformat(), style=Style(dim=True))
            text.append("  ")
            text.append(visible(item.author), style=Style(italic=True))
            text.append("  ")
            text.append_text(p.plain(item.text))
            if item.link:
                text.append("\n    ")
                text.append(visible(item.link), style=Style(underline=True))
        return text

    def _draw_node(self, node: NodeInfo | None) -> None:
        text = Text(end="")
        if node is None:
            text.append("No action selected.", style=Style(dim=True))
        else:
            text.append(f"{node.ref} ", style=Style(bold=True))
            text.append_text(p.block(node.title))
            if node.text and node.text != node.title:
                text.append("\n\n")
                text.append_text(p.block(node.text))
            text.append("\n\nNo actions here match the filter.", style=Style(dim=True))
        self.query_one("#detail-body", Static).update(text)

    def _draw(self) -> None:
        row = self.row
        assert row is not None
        text = Text(end="")
        text.append(f"{row.ref}  ", style=Style(bold=True))
        text.append_text(p.status_text(row.status, full=True))
        if row.impact:
            text.append(f"  ·  {impact_words(True)}", style=Style(bold=True))
        text.append("\n")
        title = p.block(row.title)
        title.stylize("bold")
        text.append_text(title)
        text.append("\n\n")
        if row.objective_statement:
            _field(text, "Its own objective statement", p.block(row.objective_statement))
        _field(
            text,
            "How we will know it has worked",
            p.block(row.success_measures or "–"),
            row.carried_words("success_measures"),
        )
        self._measures(text, row.ref)
        _field(text, "Lead officer(s)", p.plain("; ".join(row.leads) or "–"), row.carried_words("leads"))
        milestone = p.plain(row.milestone or "–")
        milestone.append("   due ")
        milestone.append(day_text(row.due) if row.due else "none (ongoing)")
        milestone.append("   ")
        milestone.append_text(p.due_text(row, self.today))
        if row.baseline and row.baseline != row.milestone:
            milestone.append("\nbaseline ")
            milestone.append_text(p.plain(row.baseline))
        _field(text, "Milestone", milestone)
        _field(
            text,
            "Detailed action plan",
            p.block(row.detailed_plan or "–"),
            row.carried_words("detailed_plan"),
        )
        if row.last_note:
            _field(text, "Latest commentary", p.block(row.last_note))
        if row.impact or row.evidence:  # like the commentary: shown once there is something to show
            _field(text, "Evidence of impact", self._impact())
        text.append("Last update ", style=_LABEL)
        text.append(p.day(row.updated_at) if row.updated_at else "none recorded")
        text.append("\n")
        text.append("History, newest first\n", style=_LABEL)
        if self.history is None:
            text.append("loading…", style=Style(dim=True))
        elif not self.history:
            text.append("No changes recorded.", style=Style(dim=True))
        else:
            for i, entry in enumerate(self.history):
                if i:
                    text.append("\n")
                text.append_text(p.history_text(entry))
        self.query_one("#detail-body", Static).update(text)
