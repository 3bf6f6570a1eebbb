"""The plantui workbench: the Textual App, its keys and theme, and its first screen.

Screens live in `plantui.tui.screens` and dialogs in `plantui.tui.dialogs`; they reach the app
through the `Workbench` protocol (tui.workbench). The work that is not drawing, the store, the plan
in memory, the one write queue, the history watcher, the as-at switch and the exports, is done by
its `PlanSession` (tui.session), to which the app's `database`, `model`, `submit_change`,
`load_plan`, `show_as_at`/`show_now` and exports hand over:
- `model`, the plan in memory (`PlanModel`): from a `PlanSnapshot` read before the app started (a
  SQLite file at the current schema, read without SQLAlchemy), else loaded by a thread worker after
  the first frame;
- `submit_change` runs a change request (`store.changes.Edit`, `Undo`, `Redo`) through the store's
  one entry in a thread worker, strictly in the order asked, and tells every screen with a
  `PlanChanged` message only after the commit returned; every screen sends its changes there;
- `u` undoes the author's own newest step and `ctrl+y` redoes the last one undone; an undo the store
  refuses without a yes (someone changed it since, or its meeting has ended) is asked about first;
- `read_only` is true for a read-only database or an "as at" view: every edit is refused with the
  reason, before anything is attempted.
With a snapshot, the store itself (SQLAlchemy, the daily backup) opens in a worker straight after the
first frame, so the plan is on screen about as soon as Textual can draw; a change asked for sooner
waits for it. The session also keeps the plan live: a worker watches the history (LISTEN/NOTIFY on
PostgreSQL, a poll every few seconds on SQLite) and takes in changes made by other windows and other
people as they commit.
The CLI (`plantui.cli.open_tui`) is the only place that builds and runs it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen

from plantui.domain.text import visible
from plantui.tui.commands import PlanCommands
from plantui.tui.messages import ChangedElsewhere, HistoryReset, MeasuresRead, StoreOpenEnded
from plantui.tui.saved_views import SavedViewCommands
from plantui.tui.session import LIVE_REFRESH_SECONDS, PlanSession
from plantui.tui.styles import sheet
from plantui.tui.workers import failures_told

if TYPE_CHECKING:  # at run time these come after the first frame: SQLAlchemy takes longer than Textual
    from plantui.domain.views import Meeting
    from plantui.store.changes import ChangeRequest, ChangesResult, UndoNeedsConfirming
    from plantui.store.database import Database
    from plantui.store.replicas import ReplicaSummary
    from plantui.store.snapshot import PlanSnapshot
    from plantui.tui.plan_model import PlanModel

DARK_THEME = "textual-dark"
STORE_OPEN_DELAY_SECONDS = 0.15  # after the first frame; see `on_ready`
LIGHT_THEME = "textual-light"


class PlanApp(App[None]):
    TITLE = "plantui"
    CSS_PATH = sheet("app.tcss")
    COMMANDS: ClassVar = App.COMMANDS | {PlanCommands, SavedViewCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit", tooltip="Leave plantui (every change is already saved)"),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="help", tooltip="Every key"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="undo.ctrl"),
        Binding(
            "ctrl+y", "redo", "Redo", show=False, id="redo.ctrl", tooltip="Redo the change you last undid"
        ),
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
        keymap: Mapping[str, str] | None = None,
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
        self.session = PlanSession(
            self,
            database,
            today=today,
            author=author,
            open_store=open_store,
            snapshot=snapshot,
            read_only_reason=read_only_reason,
            as_at=as_at,
            live_refresh_seconds=live_refresh_seconds,
        )
        self.author = author
        self.startup_notices = notices or []
        if theme in self.available_themes:
            self.theme = theme
        if keymap:
            self.set_keymap(keymap)  # checked by tui.keys before it gets here

    # --- what the screens ask for (tui.workbench.Workbench), kept by the session -----------------------

    @property
    def database(self) -> Database:
        """The open store; a worker that asks before it has opened waits for it."""
        return self.session.database

    @property
    def model(self) -> PlanModel | None:
        """The plan in memory, once loaded (at once from a snapshot)."""
        return self.session.model

    @property
    def today(self) -> date:
        """The day due, overdue, soon and slipped are judged against, and the header shows: the as-at
        day while the plan is shown as at a day, else today (`real_today`)."""
        return self.session.day

    @property
    def real_today(self) -> date:
        """Today (or `--today`), whatever day the plan is shown as at."""
        return self.session.today

    @property
    def as_at(self) -> date | None:
        """The day the plan is shown as at (read-only), or None for the plan as it is."""
        return self.session.as_at

    @property
    def read_only(self) -> bool:
        """No change can be saved: a read-only database, or a view opened read-only (as at a date)."""
        return self.session.read_only

    @property
    def read_only_reason(self) -> str:
        return self.session.read_only_reason

    @property
    def store_error(self) -> str | None:
        """Why the store behind the snapshot could not be opened (the app then closed), if it could not."""
        return self.session.store_error

    @property
    def live_refresh_seconds(self) -> float | None:
        """How often to look for other people's changes (None: never)."""
        return self.session.live_refresh_seconds

    @live_refresh_seconds.setter
    def live_refresh_seconds(self, seconds: float | None) -> None:
        self.session.live_refresh_seconds = seconds

    @property
    def export_folder(self) -> Path:
        return self.session.export_folder

    @export_folder.setter
    def export_folder(self, folder: Path) -> None:
        self.session.export_folder = folder

    def choose_export_folder(self, folder: Path) -> Path:
        return self.session.choose_export_folder(folder)

    def ready_export_folder(self) -> Path:
        return self.session.ready_export_folder()

    def action_choose_export_folder(self) -> None:
        """Ask for the folder exports and reports go to, and remember it."""
        from plantui.tui.dialogs.folder import FolderDialog

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                self.notify(f"Exports and reports now go to {folder}", title="Folder chosen", timeout=8)

        self.push_screen(FolderDialog(self.export_folder, self.choose_export_folder), chosen)

    @property
    def open_meeting(self) -> Meeting | None:
        """The board meeting every change is recorded in while it is open."""
        return self.session.open_meeting

    def set_open_meeting(self, meeting: Meeting | None) -> None:
        """A meeting was started or resumed here: every screen says so."""
        self.session.set_open_meeting(meeting)

    @property
    def replica(self) -> ReplicaSummary | None:
        """When the store is a replica: its upstream, last sync, what waits, conflicts to review."""
        return self.session.replica

    def sync_now(self) -> None:
        """Sync the replica with its upstream (`plantui sync`), in a worker."""
        if not self.refuse_if_read_only():
            self.session.sync_now()

    @property
    def changes_pending(self) -> bool:
        """A change has been asked for and is not yet committed (or refused)."""
        return self.session.changes_pending

    def submit_change(self, request: ChangeRequest, describe: Callable[[ChangesResult], str]) -> None:
        """Make one change after every change asked before it (see `PlanSession.submit_change`)."""
        self.session.submit_change(request, describe)

    def load_plan(self) -> None:
        self.session.load_plan()

    def show_as_at(self, day: date) -> None:
        """Show the plan as it stood at the end of `day`, read-only, rebuilt from the history."""
        self.session.show_as_at(day)

    def show_now(self) -> None:
        """Back from an as-at view to the plan as it is, open for changes again."""
        self.session.show_now()

    def export_table(self, fmt: str) -> None:
        """The actions as CSV, or a workbook of actions, findings and history, in the export folder."""
        self.session.export_table(fmt)

    def refuse_if_read_only(self) -> bool:
        if self.read_only:
            self.notify(f"Cannot save: {self.read_only_reason}. Nothing was changed.", severity="error")
            return True
        return False

    def tell_every_screen(self, message: Callable[[], Message]) -> None:
        """Post a fresh `message()` to every screen on the stack, not only the one on top: a screen
        underneath redraws from it when it is shown again."""
        for screen in self.screen_stack:
            screen.post_message(message())

    # --- the first screen and the store behind it -----------------------------------------------------

    def get_default_screen(self) -> Screen:
        from plantui.tui.board_views import BoardViews
        from plantui.tui.screens.main import MainScreen

        return MainScreen(board_views=BoardViews)

    def on_mount(self) -> None:
        # A theme picked in the palette's theme list is remembered like the light/dark toggle.
        self.theme_changed_signal.subscribe(self, lambda theme: self.save_theme(theme.name))
        for notice in self.startup_notices:
            self.notify(visible(notice), timeout=8)
        if self.model is not None and not self.session.store_open:
            self.title = visible(self.model.info.title)
        self.session.start()

    def on_ready(self) -> None:
        """The first frame is up: open the store behind it, once the frames that finish the first
        screen (layout at the terminal's size, the footer's keys) are drawn. Importing SQLAlchemy holds
        the interpreter for a good while; started at once it slowed those frames by a fifth of a second
        on the 10,000-action plan (benchmarks/README.md)."""
        if self.session.waiting_for_store:
            self.set_timer(STORE_OPEN_DELAY_SECONDS, self.session.open_store)

    @on(StoreOpenEnded)
    def _store_open_ended(self) -> None:
        if not self.session.store_open:
            # The CLI says why in one line once the screen is gone (`store_error`), as it would have
            # if the store had been opened before the app.
            self.exit(return_code=1)
        else:
            self.session.store_opened()

    def on_changed_elsewhere(self, message: ChangedElsewhere) -> None:
        self.session.take_in(message)

    def on_measures_read(self, message: MeasuresRead) -> None:
        self.session.take_in_measures(message)

    def on_history_reset(self, message: HistoryReset) -> None:
        self.session.reload_after_reset(message.reason)

    def on_unmount(self) -> None:
        self.session.close()

    # --- changes --------------------------------------------------------------------------------------

    def action_undo(self) -> None:
        """Take back your own newest change (all of one save), never a colleague's."""
        from plantui.store.changes import Undo
        from plantui.tui.presentation import undo_notice

        self.submit_change(Undo(), undo_notice)

    def action_redo(self) -> None:
        """Record your last undone change again."""
        from plantui.store.changes import Redo
        from plantui.tui.presentation import redo_notice

        self.submit_change(Redo(), redo_notice)

    def ask_to_force_undo(self, refused: UndoNeedsConfirming) -> None:
        """The store would not undo without a yes: say why, and undo that same step only on `y`."""
        from plantui.store.changes import Undo
        from plantui.tui.dialogs.confirm import ConfirmDialog
        from plantui.tui.presentation import status_words, undo_notice

        def answered(yes: bool | None) -> None:
            if yes:
                self.submit_change(Undo(force=True, step=refused.step), undo_notice)
            else:
                self.notify("Nothing was undone.", timeout=4)

        reasons = [conflict.describe(status_words) for conflict in refused.conflicts]
        reason = "\n".join(f"• {text[0].upper()}{text[1:]}." for text in reasons)
        dialog = ConfirmDialog("Undo your last change?", reason, "Undo it anyway?")
        self.push_screen(dialog, answered)

    # --- app-wide commands ----------------------------------------------------------------------------

    def action_help(self) -> None:
        from plantui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen.for_screen(self.screen))

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT_THEME if self.theme == DARK_THEME else DARK_THEME  # saved as it changes
        self.notify(f"Theme: {'light' if self.theme == LIGHT_THEME else 'dark'}", timeout=2)

    @work(thread=True, group="settings")
    @failures_told("Theme not remembered: ", errors=(OSError,), severity="warning")
    def save_theme(self, theme: str) -> None:
        from plantui.io.settings import save_setting

        save_setting("theme", theme)

    def action_export(self) -> None:
        self.session.export_plan()
