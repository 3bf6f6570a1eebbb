"""The yardstick: a minimal Textual app (Header, Footer, a Tree, a DataTable of 100 rows).

The first-screen targets are ratios to this app, measured the same way in the same run, so that a
busy or slow machine moves both figures alike. Like plantui it shows an "N of N actions" line over
its table, which the first screen is awaited by (see markers.py), so both are timed to the same kind
of moment.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Static, Tree

ROWS = 100
THEMES = ("Improving Quality", "Improving Implementation of Learning", "Improving Tools")


class MinimalApp(App[None]):
    TITLE = "minimal"
    BINDINGS = [("q", "quit", "Quit")]  # noqa: RUF012 (Textual's own idiom)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            tree: Tree[None] = Tree("Plan", id="tree")
            for number, title in enumerate(THEMES, start=1):
                theme = tree.root.add(f"{number} {title}", expand=True)
                for area in range(1, 4):
                    theme.add_leaf(f"{number}.{area} Area {area}")
            tree.root.expand()
            yield tree
            with Vertical():
                yield Static(f"{ROWS} of {ROWS} actions")
                yield DataTable(id="table")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Ref", "Title", "Status", "Milestone")
        table.add_rows(
            (f"1.1.1.{row}", f"Action number {row} of the minimal app", "● G", "September 2022")
            for row in range(1, ROWS + 1)
        )


if __name__ == "__main__":
    MinimalApp().run()
