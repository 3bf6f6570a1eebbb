"""What the plantui TUI can reach: the minimal app's widgets, filled from `store.overview`.

It draws the 10k plan's tree of themes, areas and objectives with status counts from the quick
overview (standard-library SQLite, no SQLAlchemy) and then, after the first frame, opens the store in
a thread the way the TUI would. Its first screen, next to the minimal app's, shows the ratio a TUI
built this way can reach on this machine. With --no-store it skips opening the store, to show what
that thread costs the first frame.

    python overview_app.py DB [--no-store]
"""

from __future__ import annotations

import sys
import threading

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Static, Tree

from plantui.store.location import resolve
from plantui.store.overview import read_overview


class OverviewApp(App[None]):
    TITLE = "overview"
    BINDINGS = [("q", "quit", "Quit")]  # noqa: RUF012 (Textual's own idiom)

    def __init__(self, db: str, *, open_store: bool = True) -> None:
        super().__init__()
        self.db = db
        self.open_store_after_first_frame = open_store

    def compose(self) -> ComposeResult:
        overview = read_overview(resolve(self.db))
        yield Header()
        with Horizontal():
            tree: Tree[None] = Tree(overview.title if overview else "no plan", id="tree")
            if overview is not None:
                parents = {}
                for node in overview.nodes:
                    counts = overview.counts[node.ref]
                    label = f"{node.ref} {node.title[:40]}  ✖{counts['off_track']} ●{counts['on_track']}"
                    parent = parents.get(node.ref.rpartition(".")[0], tree.root)
                    if node.kind == "objective":
                        parent.add_leaf(label)
                    else:
                        parents[node.ref] = parent.add(label, expand=node.kind == "theme")
            tree.root.expand()
            yield tree
            with Vertical():
                total = sum(overview.total.counts) if overview is not None else 0
                yield Static(f"{total} actions")  # what the first screen is awaited by (markers.py)
                yield DataTable(id="table")
        yield Footer()

    def on_mount(self) -> None:
        if self.open_store_after_first_frame:
            self.call_after_refresh(self.open_store)

    def open_store(self) -> None:
        def work() -> None:
            from plantui.store.database import open_database

            open_database(self.db, create=False).close()

        threading.Thread(target=work, daemon=True).start()


if __name__ == "__main__":
    OverviewApp(sys.argv[1], open_store="--no-store" not in sys.argv[2:]).run()
