"""The plantui application: a first screen over the plan (themes and their status counts)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from plantui.domain.rollup import StatusCounts
from plantui.domain.statuses import STATUSES
from plantui.store import queries
from plantui.store.database import Database
from plantui.tui.calendar import CalendarScreen


class PlanApp(App[None]):
    TITLE = "plantui"
    BINDINGS: ClassVar = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("m", "calendar", "Calendar", id="calendar"),
    ]

    def __init__(
        self, database: Database, *, today: date, author: str, notices: list[str] | None = None
    ) -> None:
        super().__init__()
        self.database = database
        self.today = today
        self.author = author
        self.startup_notices = notices or []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="overview")
        yield Footer()

    def on_mount(self) -> None:
        info = queries.plan_info(self.database)
        self.title = info.title
        self.sub_title = f"as at {self.today.isoformat()} · recording as {self.author}"
        actions = queries.list_actions(self.database)
        body = Text()
        for node in queries.nodes(self.database):
            if node.kind != "theme":
                continue
            counts = StatusCounts.of(a.status for a in actions if a.theme_ref == node.ref)
            body.append(f"{node.ref} {node.title}\n", style="bold")
            for s in STATUSES:
                body.append(f"  {s.symbol} {s.short} {counts[s.code]}", style=s.colour)
            body.append("\n\n")
        self.query_one("#overview", Static).update(body)
        for notice in self.startup_notices:
            self.notify(notice)

    def action_calendar(self) -> None:
        """Until the action table lands, the chosen filter term is only announced."""
        rows = queries.list_actions(self.database)
        self.push_screen(
            CalendarScreen(rows, self.today),
            lambda term: self.notify(f"Filter: {term}") if term else None,
        )
