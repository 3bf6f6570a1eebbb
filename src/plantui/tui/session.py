"""The workbench's non-visual work: the store, the plan in memory and every save, off the UI thread.

`PlanSession` is what `PlanApp` delegates to. It
- opens the store behind a snapshot after the first frame (`open_store`), or is given it open;
  `database` makes a worker that asks sooner wait for it;
- loads the plan into memory (`load_plan`, `model`), as it is or as at a day (`show_as_at`,
  `show_now`: read-only, rebuilt from the history);
- runs every change through one write queue (`submit_change`), for every screen: each request
  (`store.changes.Edit`, `Undo`, `Redo`) goes to the one store entry, `store.changes.apply_change`,
  in a thread worker, strictly in the order asked, each screen told with `PlanChanged` only after
  the commit returned; an undo that needs confirming is handed to the app to ask;
- knows the open board meeting (`open_meeting`), which every change is recorded in;
- watches the history for changes committed elsewhere (`watch_history`) and takes them in, and the
  measures too: a value recorded or a definition changed writes no history row, so the watcher also
  keeps the measures' mark (`store.measures.measures_mark`) and reads them all again when it moves;
- exports the plan as JSON, CSV or a workbook into `export_folder` (the folder the user chose, kept in
  the settings; `reports/` in the data folder until then), never over an existing file.
It runs its workers on the app and hands results back with `call_from_thread` or a message; what the
user sees (notices, screens) stays with the app and the screens.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from plantui.domain.errors import PlantuiError, StoreError
from plantui.domain.text import visible
from plantui.domain.views import HistoryEntry
from plantui.domain.wording import plural
from plantui.tui.messages import (
    ChangedElsewhere,
    HistoryReset,
    MeasuresChanged,
    MeasuresRead,
    PlanChanged,
    PlanLoaded,
    StoreOpened,
    StoreOpenEnded,
)
from plantui.tui.plan_model import PlanModel
from plantui.tui.workers import failures_told

if TYPE_CHECKING:  # at run time these come after the first frame: SQLAlchemy takes longer than Textual
    from textual.app import App

    from plantui.domain.views import Meeting
    from plantui.store.changes import ChangeRequest, ChangesResult
    from plantui.store.database import Database
    from plantui.store.queries import HistoryMark
    from plantui.store.replicas import ReplicaSummary
    from plantui.store.snapshot import PlanSnapshot

LIVE_REFRESH_SECONDS = 2.0
MANY_NOTICES = 3  # more notices than this for one change are said as one


@dataclass
class _Job:
    request: ChangeRequest
    describe: Callable[[ChangesResult], str]


class PlanSession:
    """One plan open in the workbench `app` (a Textual App with `tell_every_screen` and
    `refuse_if_read_only`): see the module's docstring."""

    def __init__(
        self,
        app: App,
        database: Database | None,
        *,
        today: date,
        author: str,
        open_store: Callable[[], Database] | None,
        snapshot: PlanSnapshot | None,
        read_only_reason: str | None,
        as_at: date | None,
        live_refresh_seconds: float | None,
    ) -> None:
        if (database is None) == (open_store is None) or (open_store is None) != (snapshot is None):
            raise ValueError("give the open database, or a way to open it with the snapshot it was read as")
        if as_at is not None and snapshot is not None:
            raise ValueError("a plan as at a date is rebuilt from the history: open the store first")
        if as_at is not None and read_only_reason is None:
            read_only_reason = f"this is the plan as at {as_at.isoformat()}, rebuilt from its history"
        self.app = app
        self.today = today
        self.author = author
        self.read_only_reason_given = read_only_reason
        self.as_at = as_at
        self._live_refresh_wanted = live_refresh_seconds
        self.live_refresh_seconds = None if as_at is not None else live_refresh_seconds
        self._seen: HistoryMark | None = None  # the newest change taken in; None until loaded
        self._measures_mark: tuple[int, int] | None = None  # where the measures taken in stood
        self._snapshot_history_id = 0  # what a first frame drawn from a snapshot had seen
        self._watcher = None
        self._database = database
        self._open_store = open_store
        self._store_ready = threading.Event()
        self._store_error: str | None = None
        if database is not None:
            self._store_ready.set()
        self._snapshot = snapshot
        # From a snapshot the model is there before the first screen mounts, so its first frame shows it.
        self.model: PlanModel | None = (
            None if snapshot is None else PlanModel(snapshot.info, snapshot.nodes, snapshot.rows)
        )
        self._export_folder: Path | None = None  # read from the settings when first needed
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._write_lock = threading.Lock()
        self._jobs_waiting = 0  # asked for and not yet committed or refused (main thread only)
        self.open_meeting: Meeting | None = None  # the board meeting changes are recorded in, if any
        self.replica: ReplicaSummary | None = None  # when the store is a replica: its upstream and sync

    # --- where exports and reports go ------------------------------------------------------------------

    @property
    def export_folder(self) -> Path:
        """The folder the user chose for exports and reports (default: `reports/` in the data folder)."""
        if self._export_folder is None:
            from plantui.io.settings import output_folder

            self._export_folder = output_folder()
        return self._export_folder

    @export_folder.setter
    def export_folder(self, folder: Path) -> None:
        self._export_folder = folder

    def choose_export_folder(self, folder: Path) -> Path:
        """Use and remember `folder` from now on (an `InputError` naming it when it cannot be)."""
        from plantui.io.settings import choose_output_folder

        self._export_folder = choose_output_folder(folder)
        return self._export_folder

    def ready_export_folder(self) -> Path:
        """The export folder, made (private) if it is not there yet, as the default one often is not."""
        folder = self.export_folder
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return folder

    # --- the store ------------------------------------------------------------------------------------

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
    def store_open(self) -> bool:
        return self._database is not None

    @property
    def store_error(self) -> str | None:
        """Why the store behind the snapshot could not be opened (the app then closed), if it could not."""
        return self._store_error

    @property
    def waiting_for_store(self) -> bool:
        """The first frame is drawn from a snapshot and the store behind it is still to be opened."""
        return self._database is None and self._open_store is not None

    @property
    def read_only(self) -> bool:
        """No change can be saved: a read-only database, or a view opened read-only (as at a date)."""
        return self.read_only_reason_given is not None or self._store_readonly()[0]

    @property
    def read_only_reason(self) -> str:
        if self.read_only_reason_given is not None:
            return self.read_only_reason_given
        _, display, reason = self._store_readonly()
        return f"{display} is read-only{reason}"

    def _store_readonly(self) -> tuple[bool, str, str]:
        """Whether the store is read-only, its name and why; from the snapshot until it is open (the
        store decides with the same check, `store.location.writable_file`)."""
        if self._database is not None:
            return self._database.readonly, self._database.display, self._database.readonly_reason
        assert self._snapshot is not None
        snapshot = self._snapshot
        return not snapshot.writable, snapshot.display, snapshot.readonly_reason

    def start(self) -> None:
        """On mount: load the plan from the open store, or take the snapshot's place in the history."""
        if self._database is None:
            assert self.model is not None and self._snapshot is not None
            self._snapshot_history_id = self._snapshot.latest_history_id
        else:
            self.load_plan()

    def open_store(self) -> None:
        """Open the store behind the snapshot on screen (SQLAlchemy, the daily backup) in a worker."""
        self.app.run_worker(
            self._open_store_in_thread, thread=True, exclusive=True, group="open", name="open_store"
        )

    def _open_store_in_thread(self) -> None:
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
        self.app.post_message(StoreOpenEnded())

    def store_opened(self) -> None:
        """The store behind the snapshot is open: tell every screen and start watching the history."""
        for notice in self.database.notices:
            self.app.notify(visible(notice), timeout=8)
        self.app.tell_every_screen(StoreOpened)
        self.app.run_worker(self._read_open_meeting, thread=True, group="meeting", name="open_meeting")
        # The snapshot draws no measures: read them now (the watcher reads them again as they move).
        self.app.run_worker(self._read_measures, thread=True, group="measures", name="read_measures")
        self.read_replica()
        if self.live_refresh_seconds:
            self.watch_history()

    # --- a replica: its upstream, what waits to be sent, syncing ----------------------------------------

    def read_replica(self) -> None:
        """Read whether the store is a replica, of what, and what waits (every screen is told)."""
        self.app.run_worker(self._read_replica, thread=True, exclusive=True, group="replica", name="replica")

    @failures_told("Cannot read the replica's state: ", timeout=8, markup=False)
    def _read_replica(self) -> None:
        from plantui.store.replicas import replica_summary

        self.app.call_from_thread(self._set_replica, replica_summary(self.database))

    def _set_replica(self, summary: ReplicaSummary | None) -> None:
        from plantui.tui.messages import ReplicaStateChanged

        self.replica = summary
        self.app.tell_every_screen(ReplicaStateChanged)

    def sync_now(self) -> None:
        """Sync the replica with its upstream in a worker, as `plantui sync` does; say what it did."""
        self.app.notify("Syncing with the upstream…", timeout=4)
        self.app.run_worker(self._sync_in_thread, thread=True, exclusive=True, group="sync", name="sync")

    @failures_told("Not synced: ", timeout=15, markup=False)  # quotes the upstream: data
    def _sync_in_thread(self) -> None:
        from plantui.store.replicas import replica_summary, sync_with_upstream

        result = sync_with_upstream(self.database)
        words = result.words("review them (palette: conflicts)")
        told = words[0].upper() + words[1:]
        summary = replica_summary(self.database)
        changed = result.received or result.meetings or result.ended_meetings
        self.app.call_from_thread(self._synced, told, summary, bool(changed))

    def _synced(self, told: str, summary: ReplicaSummary | None, reload: bool) -> None:
        self.app.notify(told, title="Synced", timeout=10, markup=False)
        self._set_replica(summary)
        if reload:
            self.app.workers.cancel_group(self.app, "watch")
            self.load_plan()

    @failures_told("Cannot tell whether a board meeting is open: ", timeout=8, markup=False)
    def _read_open_meeting(self) -> None:
        """The plan came from a snapshot: whether a meeting is open is read once the store is."""
        from plantui.store.meetings import open_meeting

        self.app.call_from_thread(self.set_open_meeting, open_meeting(self.database))

    @failures_told("Cannot read the measures: ", timeout=8, markup=False)
    def _read_measures(self) -> None:
        from plantui.domain.scorecard import scorecard_rows
        from plantui.store.measures import plan_measures

        mark, measures = plan_measures(self.database)
        self.app.post_message(MeasuresRead(measures, mark, scorecard_rows(measures)))

    def close(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
        # Left before the store opened: a worker still waiting for it gives up now (see `database`).
        self._store_ready.set()

    # --- loading --------------------------------------------------------------------------------------

    def load_plan(self) -> None:
        """Read the plan (as it is, or as at `as_at`) in a worker; every screen is told `PlanLoaded`."""
        self.app.run_worker(self._load_in_thread, thread=True, exclusive=True, group="load", name="load_plan")

    @failures_told("Cannot load the plan: ", timeout=30, markup=False)  # may quote the store: data
    def _load_in_thread(self) -> None:
        from plantui.store import queries

        # The newest change first: a change landing while the rows load is taken in twice, which is
        # harmless, rather than missed.
        seen = queries.history_mark(self.database)
        info = queries.plan_info(self.database)
        nodes = queries.nodes(self.database)
        from plantui.store.measures import plan_measures

        if self.as_at is not None:
            from plantui.store.as_at import end_of_day, plan_as_at

            rows = plan_as_at(self.database, self.as_at)
            measures_mark, measures = plan_measures(self.database, before=end_of_day(self.as_at))
        else:
            rows = queries.list_actions(self.database)
            measures_mark, measures = plan_measures(self.database)
        from plantui.store.meetings import open_meeting

        meeting = open_meeting(self.database)
        model = PlanModel(info, nodes, rows, measures)
        self.app.call_from_thread(self._loaded, model, seen, meeting, measures_mark)

    def _loaded(
        self,
        model: PlanModel,
        seen: HistoryMark,
        meeting: Meeting | None = None,
        measures_mark: tuple[int, int] | None = None,
    ) -> None:
        self.model = model
        self._seen = seen
        self._measures_mark = measures_mark
        self.open_meeting = meeting
        self.app.title = visible(model.info.title)
        self.app.tell_every_screen(PlanLoaded)
        self.read_replica()
        if self.live_refresh_seconds:
            self.watch_history()

    # --- other people's changes -----------------------------------------------------------------------

    def watch_history(self) -> None:
        """Take in changes committed by anyone else (another window, a CLI call, a colleague on the
        shared server) as they commit, one changed action at a time; when the history no longer
        continues from what was taken in (a restore, an `import --force`), reload the whole plan."""
        self.app.run_worker(
            self._watch_in_thread, thread=True, exclusive=True, group="watch", name="watch_history"
        )

    def _watch_in_thread(self) -> None:
        from plantui.store import queries
        from plantui.store.watch import HistoryWatcher

        worker = get_current_worker()
        interval = self.live_refresh_seconds or LIVE_REFRESH_SECONDS
        try:
            if self._seen is None:  # drawn from a snapshot: the change it showed last, as it is now
                self._seen = queries.history_mark(self.database, upto=self._snapshot_history_id)
            with HistoryWatcher(self.database) as watcher:
                self._watcher = watcher
                # The first look is at once: a change committed after the plan was read and before
                # the watcher listened woke nobody.
                first = True
                while not worker.is_cancelled:
                    # A commit wakes the watcher at once; with none, it looks again every `interval`
                    # all the same. Short waits, so that leaving the app never waits long for this thread.
                    waited = 0.0 if not first else interval
                    first = False
                    while waited < interval and not worker.is_cancelled:
                        if watcher.wait(min(0.25, interval)):
                            break
                        waited += 0.25
                    if worker.is_cancelled:
                        break
                    reason = queries.history_break(self.database, self._seen)
                    if reason is not None:
                        # post_message, not call_from_thread: it never blocks, even while the app closes.
                        self.app.post_message(HistoryReset(reason))
                        return  # the reload starts a new watch from the plan as it is then
                    self._look_at_measures()
                    entries = queries.changes_after(self.database, self._seen.last_id)
                    if not entries:
                        continue
                    self._seen = self._seen.after(entries[-1])
                    latest: dict[str, HistoryEntry] = {}
                    for entry in entries:
                        latest[entry.action_ref] = entry
                    rows = [queries.get_action(self.database, ref) for ref in latest]
                    self.app.post_message(ChangedElsewhere(rows, list(latest.values())))
        except PlantuiError as error:
            if not worker.is_cancelled:
                self.app.log.warning(f"Stopped watching for other people's changes: {error}")

    def _look_at_measures(self) -> None:
        """In the watcher's thread: read the measures again when their mark moved since last taken in
        (a value or a definition committed by anyone, here or elsewhere)."""
        from plantui.store.measures import measures_mark, plan_measures

        if self._measures_mark is None or measures_mark(self.database) == self._measures_mark:
            return  # not read yet (the first read takes them), or nothing moved
        from plantui.domain.scorecard import scorecard_rows

        mark, measures = plan_measures(self.database)
        self._measures_mark = mark  # so the next look does not read them again before the app has
        self.app.post_message(MeasuresRead(measures, mark, scorecard_rows(measures)))

    def take_in_measures(self, message: MeasuresRead) -> None:
        """Measures read again (or first, after a snapshot), into the model and onto every screen. An
        as-at view keeps the measures as they stood."""
        if self.model is None or self.as_at is not None:
            return
        self._measures_mark = message.mark
        self.model.take_measures(message.measures, message.scorecard)
        self.app.tell_every_screen(MeasuresChanged)

    def reload_after_reset(self, reason: str) -> None:
        """The history no longer continues from what is shown: read the whole plan again and say why."""
        self.app.workers.cancel_group(self.app, "watch")
        self.app.notify(
            f"Reloaded the whole plan: {visible(reason)}.",
            title="Plan reloaded",
            severity="warning",
            timeout=12,
            markup=False,
        )
        self.load_plan()

    def take_in(self, message: ChangedElsewhere) -> None:
        """Changes committed elsewhere, into the model and onto every screen."""
        from plantui.store.changes import ChangeResult
        from plantui.tui.presentation import elsewhere_notice

        if self.model is None:
            return
        open_id = self.open_meeting.id if self.open_meeting is not None else None
        if any(entry.meeting_id != open_id for entry in message.entries):
            # Recorded in a meeting this window does not know is open, or outside the one it thinks
            # is: a meeting was started or ended elsewhere. The header follows.
            self.app.run_worker(self._read_open_meeting, thread=True, group="meeting", name="open_meeting")
        told: list[str] = []
        for row, entry in zip(message.rows, message.entries, strict=True):
            before = self.model.apply(row)
            result = ChangeResult(row, entry, before)
            self.app.tell_every_screen(partial(PlanChanged, result, ""))
            if entry.author != self.author:
                told.append(elsewhere_notice(entry, row))
        if len(told) > MANY_NOTICES:  # a change of several actions at once: one notice, not a pile
            refs = {row.ref for row, entry in zip(message.rows, message.entries, strict=True)}
            authors = sorted({visible(e.author) for e in message.entries if e.author != self.author})
            told = [f"{', '.join(authors)} · {plural(len(told), 'change')} to {plural(len(refs), 'action')}"]
        for words in told:
            # The words hold plan text (a title, evidence): data, never markup.
            self.app.notify(words, title="Changed elsewhere", timeout=8, markup=False)

    # --- changes: the one write queue -----------------------------------------------------------------

    def submit_change(self, request: ChangeRequest, describe: Callable[[ChangesResult], str]) -> None:
        """Make one change (an `Edit`, `Undo` or `Redo` of `store.changes`) as the workbench's author,
        in a worker, after every change asked before it. Every screen sends its changes here.

        `describe` turns the committed result into the notice; "saved" is shown only once the
        service has returned, that is, after the commit.
        """
        if self.app.refuse_if_read_only():
            return
        self._jobs_waiting += 1
        self._jobs.put(_Job(request, describe))
        self.app.run_worker(self._run_next_change, thread=True, group="changes", name="_run_next_change")

    @property
    def changes_pending(self) -> bool:
        """A change has been asked for and is not yet committed (or refused)."""
        return self._jobs_waiting > 0

    def _run_next_change(self) -> None:
        from plantui.store.changes import UndoNeedsConfirming, apply_change

        with self._write_lock:  # one job per worker, taken in the order they were asked for
            job = self._jobs.get_nowait()
            try:
                result = apply_change(self.database, job.request, author=self.author)
            except UndoNeedsConfirming as refused:
                self.app.call_from_thread(self._refused, refused)
                return
            except PlantuiError as error:
                self.app.call_from_thread(self._failed, error, job.request)
                return
        self.app.call_from_thread(self._committed, result, job.describe(result))

    def _failed(self, error: PlantuiError, request: ChangeRequest) -> None:
        from plantui.store.changes import Edit
        from plantui.tui.messages import ChangeNotSaved

        self._jobs_waiting -= 1
        reason = visible(str(error))
        self.app.tell_every_screen(partial(ChangeNotSaved, reason))
        if isinstance(request, Edit):
            self.app.notify(f"Not saved: {reason}", severity="error", timeout=8, markup=False)
        else:  # an undo or redo with nothing to take back or do again: nothing failed to be saved
            self.app.notify(reason, severity="warning", timeout=6, markup=False)

    def _refused(self, refused: Exception) -> None:
        from plantui.tui.messages import ChangeNotSaved

        self._jobs_waiting -= 1
        self.app.tell_every_screen(partial(ChangeNotSaved, "it waits for your answer to the question"))
        self.app.ask_to_force_undo(refused)

    def set_open_meeting(self, meeting: Meeting | None) -> None:
        """A meeting was started or resumed here (or has ended): every screen says so."""
        from plantui.tui.messages import MeetingStateChanged

        self.open_meeting = meeting
        self.app.tell_every_screen(MeetingStateChanged)

    def _committed(self, result: ChangesResult, notice: str) -> None:
        self._jobs_waiting -= 1
        app = self.app
        if self.model is not None:
            for _before, after in result.actions:  # a step may change several actions
                self.model.apply(after)
        if result.entries and result.meeting != self.open_meeting:
            self.set_open_meeting(result.meeting)
        if self.replica is not None and result.entries:
            self.read_replica()  # one more change waits to be sent
        app.tell_every_screen(partial(PlanChanged, result, notice))
        if not getattr(app.screen, "shows_saved_notices", False):
            # A screen with a status line of its own says it there, in the frame that shows the change.
            app.notify(notice, title="Saved", timeout=6)
        if len(result.superseded) > MANY_NOTICES:  # a change of several: one notice, not a pile
            changed = plural(len(result.superseded), "value")
            told = f"{changed} you changed had been changed by someone since you looked; the history has both"
            app.notify(told, title="Someone changed them first", severity="warning", timeout=12)
            return
        for superseded in result.superseded:
            from plantui.tui.presentation import status_words

            told = superseded.describe(status_words if superseded.field == "status" else visible)
            app.notify(visible(told), title="Someone changed it first", severity="warning", timeout=12)

    # --- as at a day ----------------------------------------------------------------------------------

    @property
    def day(self) -> date:
        """The day due, overdue, soon and slipped are judged against: the as-at day in an as-at view
        (as `plantui --as-at DAY list` does), else today."""
        return self.as_at if self.as_at is not None else self.today

    def show_as_at(self, day: date) -> None:
        """Show the plan as it stood at the end of `day`, read-only, rebuilt from the history."""
        self._switch_view(day, f"this is the plan as at {day.isoformat()}, rebuilt from its history")

    def show_now(self) -> None:
        """Back from an as-at view to the plan as it is, open for changes again."""
        self._switch_view(None, None)

    def _switch_view(self, as_at: date | None, reason: str | None) -> None:
        """Reload the plan for another view; every screen redraws itself on `PlanLoaded`."""
        self.app.workers.cancel_group(self.app, "watch")
        self.as_at = as_at
        self.read_only_reason_given = reason
        self.live_refresh_seconds = None if as_at is not None else self._live_refresh_wanted
        self.load_plan()

    # --- exports --------------------------------------------------------------------------------------

    def export_plan(self) -> None:
        """The whole plan as JSON in the export folder, in a worker."""
        self.app.run_worker(self._export_plan_in_thread, thread=True, group="export", name="export_plan")

    @failures_told("Export failed: ", errors=(PlantuiError, OSError), timeout=8)
    def _export_plan_in_thread(self) -> None:
        from plantui.io.atomic import free_path, write_file
        from plantui.io.plan_json import dumps_plan
        from plantui.store.plans import dump_document

        text = dumps_plan(dump_document(self.database))
        path = free_path(self.ready_export_folder() / f"plantui-plan-{self.today.isoformat()}.json")
        write_file(path, text.encode("utf-8"))
        self.app.call_from_thread(self.app.notify, f"Exported the plan as JSON to {path}", timeout=8)

    def export_table(self, fmt: str) -> None:
        """The actions as CSV, or a workbook of actions, findings and history, in the export folder."""
        self.app.run_worker(
            partial(self._export_table_in_thread, fmt), thread=True, group="export", name="export_table"
        )

    @failures_told("Export failed: ", errors=(PlantuiError, OSError), timeout=8)
    def _export_table_in_thread(self, fmt: str) -> None:
        from plantui.io.atomic import free_path, write_file
        from plantui.io.spreadsheets import exporter

        tables = exporter.plan_tables(self.database)
        data = exporter.csv_bytes(tables, bom=True) if fmt == "csv" else exporter.workbook_bytes(tables)
        path = free_path(self.ready_export_folder() / f"plantui-actions-{self.today.isoformat()}.{fmt}")
        write_file(path, data)
        message = f"Exported {plural(len(tables.actions), 'action')} to {path}"
        self.app.call_from_thread(self.app.notify, message, timeout=8)
