"""The plantui workbench: the Textual App that owns the database, the plan in memory and every save.

Screens live in `plantui.tui.screens`; the App gives them three things:
- `model`, the plan in memory (`PlanModel`): from a `PlanSnapshot` read before the app started (a
  SQLite file at the current schema, read without SQLAlchemy), else loaded by a thread worker after
  the first frame;
- `submit_change`, which runs a store service (`store.changes`) in a thread worker, strictly in the
  order asked, and tells every screen with a `PlanChanged` message only after the commit returned;
- `read_only`, true for a read-only database or an "as at" view: every edit is refused with the
  reason, before anything is attempted.
With a snapshot, the store itself (SQLAlchemy, the daily backup) opens in a worker straight after the
first frame, so the plan is on screen about as soon as Textual can draw; a change asked for sooner
waits for it. It also keeps the plan live: a worker watches the history (LISTEN/NOTIFY on PostgreSQL,
a poll every few seconds on SQLite) and takes in changes made by other windows and other people as
they commit.
The CLI (`plantui.cli.open_tui`) is the only place that builds and runs it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from plantui.domain.errors import PlantuiError, StoreError
from plantui.domain.text import visible
from plantui.domain.views import HistoryEntry
from plantui.tui.commands import PlanCommands
from plantui.tui.messages import ChangedElsewhere, PlanChanged, PlanLoaded, StoreOpened, StoreOpenEnded
from plantui.tui.plan_model import PlanModel
from plantui.tui.styles import sheet
from plantui.tui.workers import failures_told

if TYPE_CHECKING:  # at run time these come after the first frame: SQLAlchemy takes longer than Textual
    from plantui.store.changes import ChangeResult, ChangesResult
    from plantui.store.database import Database
    from plantui.store.snapshot import PlanSnapshot

DARK_THEME = "textual-dark"
LIVE_REFRESH_SECONDS = 2.0
STORE_OPEN_DELAY_SECONDS = 0.15  # after the first frame; see `on_ready`
LIGHT_THEME = "textual-light"


@dataclass
class _Job:
    run: Callable[[], ChangeResult | ChangesResult | None]
    describe: Callable[[ChangeResult | ChangesResult], str]


class PlanApp(App[None]):
    TITLE = "plantui"
    CSS_PATH = sheet("app.tcss")
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
        database: Database | None = None,
        *,
        today: date,
        author: str,
        open_store: Callable[[], Database] | None = None,
        snapshot: PlanSnapshot | None = None,
        notices: list[str] | None = None,
        theme: str | None = None,
        read_only_reason: str | None = None,
        as_at: date | None = None,
        live_refresh_seconds: float | None = LIVE_REFRESH_SECONDS,
    ) -> None:
        """Give either the open `database`, or `open_store` (opens it) with the `snapshot` it was read
        as: the first frame then shows the snapshot and the store opens in a worker after it.

        `read_only_reason` opens the plan for looking only, whatever the database allows. `as_at`
        shows the plan as it stood at the end of that day, rebuilt from the history, read-only.
        `live_refresh_seconds` is how often to look for other people's changes (None: never)."""
        super().__init__()
        if (database is None) == (open_store is None) or (open_store is None) != (snapshot is None):
            raise ValueError("give the open database, or a way to open it with the snapshot it was read as")
        if as_at is not None and snapshot is not None:
            raise ValueError("a plan as at a date is rebuilt from the history: open the store first")
        if as_at is not None and read_only_reason is None:
            read_only_reason = f"this is the plan as at {as_at.isoformat()}, rebuilt from its history"
        self._read_only_reason = read_only_reason
        self.as_at = as_at
        self._live_refresh_wanted = live_refresh_seconds
        self.live_refresh_seconds = None if as_at is not None else live_refresh_seconds
        self._seen_history_id = 0
        self._watcher = None
        self._database = database
        self._open_store = open_store
        self._store_ready = threading.Event()
        self._store_error: str | None = None
        if database is not None:
            self._store_ready.set()
        self._snapshot = snapshot
        self.today = today
        self.author = author
        self.startup_notices = notices or []
        # From a snapshot the model is there before the first screen mounts, so its first frame shows it.
        self.model: PlanModel | None = (
            None if snapshot is None else PlanModel(snapshot.info, snapshot.nodes, snapshot.rows)
        )
        self.export_folder = Path.cwd()
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._write_lock = threading.Lock()
        if theme in (DARK_THEME, LIGHT_THEME):
            self.theme = theme

    # --- seams for later views ------------------------------------------------------------------------

    @property
    def database(self) -> Database:
        """The open store. Opened after the first frame when the app started from a snapshot: a worker
        thread that asks sooner waits for it (the main thread only hands it to workers)."""
        if self._database is None:
            self._store_ready.wait()
            if self._database is None:
                raise StoreError(self._store_error or "plantui closed before the plan store opened")
        return self._database

    @property
    def read_only(self) -> bool:
        """No change can be saved: a read-only database, or a view opened read-only (as at a date)."""
        return self._read_only_reason is not None or self._store_readonly()[0]

    @property
    def read_only_reason(self) -> str:
        if self._read_only_reason is not None:
            return self._read_only_reason
        _, display, reason = self._store_readonly()
        return f"{display} is read-only{reason}"

    @property
    def store_error(self) -> str | None:
        """Why the store behind the snapshot could not be opened (the app then closed), if it could not."""
        return self._store_error

    def _store_readonly(self) -> tuple[bool, str, str]:
        """Whether the store is read-only, its name and why; from the snapshot until it is open (the
        store decides with the same check, `store.location.writable_file`)."""
        if self._database is not None:
            return self._database.readonly, self._database.display, self._database.readonly_reason
        assert self._snapshot is not None
        snapshot = self._snapshot
        return not snapshot.writable, snapshot.display, snapshot.readonly_reason

    def get_default_screen(self) -> Screen:
        from plantui.tui.board_views import BoardViews
        from plantui.tui.screens.main import MainScreen

        return MainScreen(board_views=BoardViews)

    def tell_every_screen(self, message: Callable[[], Message]) -> None:
        """Post a fresh `message()` to every screen on the stack, not only the one on top: a screen
        underneath redraws from it when it is shown again."""
        for screen in self.screen_stack:
            screen.post_message(message())

    # --- loading --------------------------------------------------------------------------------------

    def on_mount(self) -> None:
        for notice in self.startup_notices:
            self.notify(visible(notice), timeout=8)
        if self._database is None:
            assert self.model is not None and self._snapshot is not None
            self.title = visible(self.model.info.title)
            self._seen_history_id = self._snapshot.latest_history_id
        else:
            self.load_plan()

    def on_ready(self) -> None:
        """The first frame is up: open the store behind it, once the frames that finish the first
        screen (layout at the terminal's size, the footer's keys) are drawn. Importing SQLAlchemy holds
        the interpreter for a good while; started at once it slowed those frames by a fifth of a second
        on the 10,000-action plan (benchmarks/README.md)."""
        if self._database is None and self._open_store is not None:
            self.set_timer(STORE_OPEN_DELAY_SECONDS, self.open_store)

    @work(thread=True, exclusive=True, group="open")
    def open_store(self) -> None:
        """Open the store behind the snapshot on screen (SQLAlchemy, the daily backup)."""
        assert self._open_store is not None
        database = None
        try:
            database = self._open_store()
        except PlantuiError as error:
            self._store_error = str(error)
        finally:
            # Whatever happened, nobody waits for the store for ever: workers asking for it get the
            # database, or fail with the reason.
            self._database = database
            if database is None and self._store_error is None:
                self._store_error = "the plan store could not be opened"
            self._store_ready.set()
        # post_message, not call_from_thread: it never blocks, even while the app closes.
        self.post_message(StoreOpenEnded())

    @on(StoreOpenEnded)
    def _store_open_ended(self) -> None:
        if self._database is None:
            # The CLI says why in one line once the screen is gone (`store_error`), as it would have
            # if the store had been opened before the app.
            self.exit(return_code=1)
        else:
            self._store_opened()

    def _store_opened(self) -> None:
        for notice in self.database.notices:
            self.notify(visible(notice), timeout=8)
        self.tell_every_screen(StoreOpened)
        if self.live_refresh_seconds:
            self.watch_history()

    @work(thread=True, exclusive=True, group="load")
    @failures_told("Cannot load the plan: ", timeout=30, markup=False)  # may quote the store: data
    def load_plan(self) -> None:
        from plantui.store import queries

        # The newest history id first: a change landing while the rows load is taken in twice,
        # which is harmless, rather than missed.
        seen = queries.latest_history_id(self.database)
        info = queries.plan_info(self.database)
        nodes = queries.nodes(self.database)
        if self.as_at is not None:
            from plantui.store.as_at import plan_as_at

            rows = plan_as_at(self.database, self.as_at)
        else:
            rows = queries.list_actions(self.database)
        self.call_from_thread(self._loaded, PlanModel(info, nodes, rows), seen)

    def _loaded(self, model: PlanModel, seen_history_id: int) -> None:
        self.model = model
        self._seen_history_id = seen_history_id
        self.title = visible(model.info.title)
        self.tell_every_screen(PlanLoaded)
        if self.live_refresh_seconds:
            self.watch_history()

    # --- other people's changes -----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="watch")
    def watch_history(self) -> None:
        """Take in changes committed by anyone else (another window, a CLI call, a colleague on the
        shared server) within a few seconds, one changed action at a time."""
        from plantui.store import queries
        from plantui.store.watch import HistoryWatcher

        worker = get_current_worker()
        interval = self.live_refresh_seconds or LIVE_REFRESH_SECONDS
        try:
            with HistoryWatcher(self.database) as watcher:
                self._watcher = watcher
                while not worker.is_cancelled:
                    # Short waits, so that leaving the app never waits long for this thread.
                    waited = 0.0
                    while waited < interval and not worker.is_cancelled:
                        if watcher.wait(min(0.25, interval)):
                            break
                        waited += 0.25
                    if worker.is_cancelled:
                        break
                    entries = queries.changes_after(self.database, self._seen_history_id)
                    if not entries:
                        continue
                    self._seen_history_id = entries[-1].id
                    latest: dict[str, HistoryEntry] = {}
                    for entry in entries:
                        latest[entry.action_ref] = entry
                    rows = [queries.get_action(self.database, ref) for ref in latest]
                    # post_message, not call_from_thread: it never blocks, even while the app closes.
                    self.post_message(ChangedElsewhere(rows, list(latest.values())))
        except PlantuiError as error:
            if not worker.is_cancelled:
                self.log.warning(f"Stopped watching for other people's changes: {error}")

    def on_changed_elsewhere(self, message: ChangedElsewhere) -> None:
        from plantui.store.changes import ChangeResult
        from plantui.tui.presentation import elsewhere_notice

        if self.model is None:
            return
        for row, entry in zip(message.rows, message.entries, strict=True):
            before = self.model.apply(row)
            result = ChangeResult(row, entry, before)
            self.tell_every_screen(partial(PlanChanged, result, ""))
            if entry.author != self.author:
                self.notify(elsewhere_notice(entry, row), title="Changed elsewhere", timeout=8)

    def on_unmount(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
        # Left before the store opened: a worker still waiting for it gives up now (see `database`).
        self._store_ready.set()

    # --- changes --------------------------------------------------------------------------------------

    def refuse_if_read_only(self) -> bool:
        if self.read_only:
            self.notify(f"Cannot save: {self.read_only_reason}. Nothing was changed.", severity="error")
            return True
        return False

    def submit_change(
        self,
        run: Callable[[], ChangeResult | ChangesResult | None],
        describe: Callable[[ChangeResult | ChangesResult], str],
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

    def _committed(self, result: ChangeResult | ChangesResult, notice: str) -> None:
        if self.model is not None:
            self.model.apply(result.action)
        self.tell_every_screen(partial(PlanChanged, result, notice))
        if not getattr(self.screen, "shows_saved_notices", False):
            # A screen with a status line of its own says it there, in the frame that shows the change.
            self.notify(notice, title="Saved", timeout=6)
        superseded = getattr(result, "superseded", None)
        if superseded is not None:
            from plantui.tui.presentation import status_words

            told = superseded.describe(status_words if superseded.field == "status" else visible)
            self.notify(visible(told), title="Someone changed it first", severity="warning", timeout=12)

    # --- as at a day ----------------------------------------------------------------------------------

    def show_as_at(self, day: date) -> None:
        """Show the plan as it stood at the end of `day`, read-only, rebuilt from the history."""
        self._switch_view(day, f"this is the plan as at {day.isoformat()}, rebuilt from its history")

    def show_now(self) -> None:
        """Back from an as-at view to the plan as it is, open for changes again."""
        self._switch_view(None, None)

    def _switch_view(self, as_at: date | None, reason: str | None) -> None:
        """Reload the plan for another view; every screen redraws itself on `PlanLoaded`."""
        self.workers.cancel_group(self, "watch")
        self.as_at = as_at
        self._read_only_reason = reason
        self.live_refresh_seconds = None if as_at is not None else self._live_refresh_wanted
        self.load_plan()

    def action_undo(self) -> None:
        if self.refuse_if_read_only():
            return
        from plantui.store.changes import undo_last
        from plantui.tui.presentation import undo_notice

        # Your own last change: on a shared plan, u never takes back a colleague's decision.
        self.submit_change(
            lambda: undo_last(self.database, author=self.author, only_by=self.author), undo_notice
        )

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
    @failures_told("Theme not remembered: ", errors=(OSError,), severity="warning")
    def save_theme(self, theme: str) -> None:
        from plantui.io.settings import save_setting

        save_setting("theme", theme)

    def action_export(self) -> None:
        self.export_plan()

    @work(thread=True, group="export")
    @failures_told("Export failed: ", errors=(PlantuiError, OSError), timeout=8)
    def export_plan(self) -> None:
        from plantui.io.atomic import write_file
        from plantui.io.plan_json import dumps_plan
        from plantui.store.plans import dump_document

        text = dumps_plan(dump_document(self.database))
        path = _free_path(self.export_folder / f"plantui-plan-{self.today.isoformat()}.json")
        write_file(path, text.encode("utf-8"))
        self.call_from_thread(self.notify, f"Exported the plan as JSON to {path}", timeout=8)

    @work(thread=True, group="export")
    @failures_told("Export failed: ", errors=(PlantuiError, OSError), timeout=8)
    def export_table(self, fmt: str) -> None:
        """The actions as CSV, or a workbook of actions, findings and history, in the current folder."""
        from plantui.io import table_export
        from plantui.io.atomic import write_file

        tables = table_export.plan_tables(self.database)
        if fmt == "csv":
            data = table_export.csv_bytes(tables, bom=True)
        else:
            data = table_export.workbook_bytes(tables)
        path = _free_path(self.export_folder / f"plantui-actions-{self.today.isoformat()}.{fmt}")
        write_file(path, data)
        self.call_from_thread(self.notify, f"Exported {len(tables.actions)} actions to {path}", timeout=8)


def _free_path(path: Path) -> Path:
    """`path`, or `name-2.json`, `name-3.json`… when it is taken: an export never overwrites a file."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate
