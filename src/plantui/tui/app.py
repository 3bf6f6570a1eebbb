"""The plantui workbench: the Textual App that owns the database, the plan in memory and every save.

Screens live in `plantui.tui.screens`; the App gives them three things:
- `model`, the plan in memory (`PlanModel`), loaded by a thread worker after the first frame;
- `submit_change`, which runs a store service (`store.changes`) in a thread worker, strictly in the
  order asked, and tells every screen with a `PlanChanged` message only after the commit returned;
- `read_only`, true for a read-only database (and, later, an "as at" view): every edit is refused
  with the reason, before anything is attempted.
The CLI (`plantui.cli.open_tui`) is the only place that builds and runs it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen

from plantui.domain.errors import PlantuiError
from plantui.domain.text import visible
from plantui.store.changes import ChangeResult
from plantui.store.database import Database
from plantui.tui.commands import PlanCommands
from plantui.tui.plan_model import PlanModel

DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"


class PlanLoaded(Message):
    """The plan is in memory (`app.model`)."""


class PlanChanged(Message):
    """A change was committed; `result.action` is the action as it now stands."""

    def __init__(self, result: ChangeResult, notice: str) -> None:
        super().__init__()
        self.result = result
        self.notice = notice


@dataclass
class _Job:
    run: Callable[[], ChangeResult | None]
    describe: Callable[[ChangeResult], str]


class PlanApp(App[None]):
    TITLE = "plantui"
    CSS_PATH = "app.tcss"
    COMMANDS: ClassVar = App.COMMANDS | {PlanCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit", tooltip="Leave plantui (every change is already saved)"),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="help", tooltip="Every key"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="undo.ctrl"),
        # Shown last in the Footer (the Footer's own palette hint would crowd out `q` at 80 columns).
        Binding("ctrl+p", "command_palette", "Commands", tooltip="Every command by name", id="palette"),
    ]

    def __init__(
        self,
        database: Database,
        *,
        today: date,
        author: str,
        notices: list[str] | None = None,
        theme: str | None = None,
        read_only_reason: str | None = None,
    ) -> None:
        """`read_only_reason` opens the plan for looking only (an "as at" view says why, e.g.
        "this is the plan as at 2022-10-01"), whatever the database allows."""
        super().__init__()
        self._read_only_reason = read_only_reason
        self.database = database
        self.today = today
        self.author = author
        self.startup_notices = notices or []
        self.model: PlanModel | None = None
        self.export_folder = Path.cwd()
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._write_lock = threading.Lock()
        if theme in (DARK_THEME, LIGHT_THEME):
            self.theme = theme

    # --- seams for later views ------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        """No change can be saved: a read-only database, or a view opened read-only (as at a date)."""
        return self.database.readonly or self._read_only_reason is not None

    @property
    def read_only_reason(self) -> str:
        if self._read_only_reason is not None:
            return self._read_only_reason
        return f"{self.database.display} is read-only{self.database.readonly_reason}"

    def get_default_screen(self) -> Screen:
        from plantui.tui.screens.main import MainScreen

        return MainScreen()

    # --- loading --------------------------------------------------------------------------------------

    def on_mount(self) -> None:
        for notice in self.startup_notices:
            self.notify(visible(notice), timeout=8)
        self.load_plan()

    @work(thread=True, exclusive=True, group="load")
    def load_plan(self) -> None:
        from plantui.store import queries

        info = queries.plan_info(self.database)
        nodes = queries.nodes(self.database)
        rows = queries.list_actions(self.database)
        self.call_from_thread(self._loaded, PlanModel(info, nodes, rows))

    def _loaded(self, model: PlanModel) -> None:
        self.model = model
        self.title = visible(model.info.title)
        for screen in self.screen_stack:
            screen.post_message(PlanLoaded())

    # --- changes --------------------------------------------------------------------------------------

    def refuse_if_read_only(self) -> bool:
        if self.read_only:
            self.notify(f"Cannot save: {self.read_only_reason}. Nothing was changed.", severity="error")
            return True
        return False

    def submit_change(
        self, run: Callable[[], ChangeResult | None], describe: Callable[[ChangeResult], str]
    ) -> None:
        """Run one store change in a worker, after every change asked before it.

        `describe` turns the committed result into the notice; "saved" is shown only once the
        service has returned, that is, after the commit.
        """
        if self.refuse_if_read_only():
            return
        self._jobs.put(_Job(run, describe))
        self._run_next_change()

    @work(thread=True, group="changes")
    def _run_next_change(self) -> None:
        with self._write_lock:  # one job per worker, taken in the order they were asked for
            job = self._jobs.get_nowait()
            try:
                result = job.run()
            except PlantuiError as error:
                self.call_from_thread(self.notify, f"Not saved: {error}", severity="error", timeout=8)
                return
        if result is None:
            return
        self.call_from_thread(self._committed, result, job.describe(result))

    def _committed(self, result: ChangeResult, notice: str) -> None:
        if self.model is not None:
            self.model.apply(result.action)
        for screen in self.screen_stack:
            screen.post_message(PlanChanged(result, notice))
        self.notify(notice, title="Saved", timeout=6)

    def action_undo(self) -> None:
        if self.refuse_if_read_only():
            return
        from plantui.store.changes import undo_last
        from plantui.tui.presentation import undo_notice

        self.submit_change(lambda: undo_last(self.database, author=self.author), undo_notice)

    # --- app-wide commands ----------------------------------------------------------------------------

    def action_help(self) -> None:
        from plantui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen.for_screen(self.screen))

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT_THEME if self.theme == DARK_THEME else DARK_THEME
        self.save_theme(self.theme)
        self.notify(f"Theme: {'light' if self.theme == LIGHT_THEME else 'dark'}", timeout=2)

    @work(thread=True, group="settings")
    def save_theme(self, theme: str) -> None:
        from plantui.io.settings import save_setting

        try:
            save_setting("theme", theme)
        except OSError as error:
            self.call_from_thread(self.notify, f"Theme not remembered: {error}", severity="warning")

    def action_export(self) -> None:
        self.export_plan()

    @work(thread=True, group="export")
    def export_plan(self) -> None:
        from plantui.io.plan_json import dumps_plan
        from plantui.store.plans import dump_document

        try:
            text = dumps_plan(dump_document(self.database))
            path = _free_path(self.export_folder / f"plantui-plan-{self.today.isoformat()}.json")
            path.write_text(text, encoding="utf-8")
        except (PlantuiError, OSError) as error:
            self.call_from_thread(self.notify, f"Export failed: {error}", severity="error", timeout=8)
            return
        self.call_from_thread(self.notify, f"Exported the plan as JSON to {path}", timeout=8)


def _free_path(path: Path) -> Path:
    """`path`, or `name-2.json`, `name-3.json`… when it is taken: an export never overwrites a file."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate
