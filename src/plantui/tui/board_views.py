"""The board's views, opened from the main screen: meeting mode, findings, the scorecard, changes
since, the plan as at a day, and the board report. Not a screen itself: the app gives the main screen one
`BoardViews` (`get_default_screen`), which opens the screens (tui.screens.meeting, .findings,
.changes) and dialogs (tui.dialogs.meeting_setup, .changes_since, .as_at, .report) and does their
database work in a thread worker."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Protocol

from plantui.domain.errors import PlantuiError
from plantui.tui.commands import PaletteCommand
from plantui.tui.workers import failures_told

if TYPE_CHECKING:
    from plantui.domain.filters import Filter
    from plantui.tui.workbench import Workbench


class BoardHost(Protocol):
    """The screen the board views open from (the main screen): its app, its filter, and a way to
    show a filter's actions across the whole plan."""

    app: Workbench
    query_filter: Filter
    scope: str  # the tree's selected node ("" for the whole plan)

    def show_everywhere(self, expression: str) -> None: ...

    def go_to_ref(self, ref: str) -> None: ...


class BoardViews:
    """What the main screen's `M`, `F`, `C` keys and the board palette commands open."""

    def __init__(self, screen: BoardHost) -> None:
        self.screen = screen

    @property
    def app(self) -> Workbench:
        return self.screen.app

    def _in_thread(self, job, *args) -> None:
        """Run `job(*args)` in a thread worker: database work never holds up a keystroke."""
        self.app.run_worker(partial(job, *args), thread=True, group="board")

    # --- meeting mode ---------------------------------------------------------------------------------

    def meeting(self) -> None:
        if self.app.model is None or self.app.refuse_if_read_only():
            return
        self._in_thread(self._open_meeting_setup)

    @failures_told()
    def _open_meeting_setup(self) -> None:
        from plantui.store.meetings import open_meeting
        from plantui.store.rounds import owing_refs
        from plantui.tui.dialogs.meeting_setup import MeetingSetup

        model = self.app.model
        assert model is not None
        meeting = open_meeting(self.app.database)
        text = self.screen.query_filter.text.strip() or None
        owed = owing_refs(self.app.database) if self.screen.query_filter.needs_owed else frozenset()
        setup = MeetingSetup(
            model.nodes, model.rows, self.app.today, current_filter=text, open_meeting=meeting, owed=owed
        )
        self.app.call_from_thread(self.app.push_screen, setup, self._meeting_chosen)

    def _meeting_chosen(self, choice) -> None:
        if choice is not None:
            self._in_thread(self._start_meeting, choice)

    @failures_told("No meeting: ")
    def _start_meeting(self, choice) -> None:
        from plantui.tui.dialogs.meeting_setup import begin_meeting
        from plantui.tui.screens.meeting import MeetingScreen

        app = self.app
        meeting, rows = begin_meeting(app.database, choice, app.author, app.today)
        app.call_from_thread(app.set_open_meeting, meeting)
        nodes = app.model.nodes if app.model else ()
        screen = MeetingScreen(app.database, rows, meeting, app.author, app.today, nodes=nodes)
        app.call_from_thread(app.push_screen, screen, lambda _summary: app.load_plan())

    # --- findings, changes, as at, report -------------------------------------------------------------

    def findings(self) -> None:
        self._in_thread(self._open_findings)

    @failures_told()
    def _open_findings(self) -> None:
        from plantui.store.board import rolled_up_findings
        from plantui.tui.screens.findings import FindingsScreen

        app = self.app
        rollups = rolled_up_findings(app.database, app.today, when=app.as_at)
        model = app.model
        measures = {r.number: model.measures_of_finding(r.number - 1) for r in rollups} if model else {}
        screen = FindingsScreen(rollups, app.today, measures=measures)
        app.call_from_thread(app.push_screen, screen, self._finding_chosen)

    def _finding_chosen(self, expression: str | None) -> None:
        if expression:
            self.screen.show_everywhere(expression)

    def leads(self) -> None:
        self._in_thread(self._open_leads)

    @failures_told()
    def _open_leads(self) -> None:
        from plantui.store.rounds import lead_summaries, list_rounds, round_detail
        from plantui.tui.screens.leads import LeadsScreen

        app = self.app
        summaries = lead_summaries(app.database)
        reviews = round_detail(app.database).reviews if list_rounds(app.database) else ()
        screen = LeadsScreen(summaries, app.today, reviews=reviews)
        app.call_from_thread(app.push_screen, screen, self._finding_chosen)

    def trends(self, scope: str) -> None:
        """Status counts over time for `scope` (the tree's selection; "" for the whole plan)."""
        from plantui.tui.screens.trends import TrendsScreen

        if self.app.model is None:
            return
        self.app.push_screen(TrendsScreen(scope))

    def scorecard(self) -> None:
        """The scorecard, at once from the measures in memory; the findings its measures link to follow
        from a worker (only one measure's own screen names them)."""
        from plantui.tui.screens.scorecard import ScorecardScreen

        if self.app.model is None:
            return
        screen = ScorecardScreen()
        self.app.push_screen(screen, self._measure_action_chosen)
        self._in_thread(self._read_findings_for, screen)

    @failures_told("Cannot read the findings: ")
    def _read_findings_for(self, screen) -> None:
        from plantui.store.queries import findings

        screen.findings = tuple(findings(self.app.database))

    def _measure_action_chosen(self, ref: str | None) -> None:
        if ref:
            self.screen.go_to_ref(ref)

    def changes(self) -> None:
        self._in_thread(self._open_changes_dialog)

    def _open_changes_dialog(self) -> None:
        from plantui.store.meetings import last_meeting
        from plantui.tui.dialogs.changes_since import ChangesSinceDialog

        app = self.app
        meeting = last_meeting(app.database)
        app.call_from_thread(app.push_screen, ChangesSinceDialog(app.today, meeting), self._changes_chosen)

    def _changes_chosen(self, since: str | None) -> None:
        if since:
            self._in_thread(self._show_changes, since)

    @failures_told()
    def _show_changes(self, since: str) -> None:
        from plantui.store.as_at import changes_since, resolve_since
        from plantui.tui.screens.changes import ChangesScreen

        app = self.app
        resolved = resolve_since(app.database, since)
        entries = changes_since(app.database, resolved)
        app.call_from_thread(app.push_screen, ChangesScreen(list(reversed(entries)), resolved.label))

    def as_at(self) -> None:
        from plantui.tui.dialogs.as_at import AsAtDialog

        self.app.push_screen(AsAtDialog(self.app.real_today), self._as_at_chosen)

    def _as_at_chosen(self, day) -> None:
        if day is not None:
            self.app.show_as_at(day)

    def report(self) -> None:
        self._in_thread(self._open_report_dialog)

    def _open_report_dialog(self) -> None:
        from plantui.store.meetings import last_meeting
        from plantui.tui.dialogs.report import ReportDialog

        app = self.app
        dialog = ReportDialog(app.today, last_meeting(app.database), folder=app.ready_export_folder())
        app.call_from_thread(app.push_screen, dialog, self._report_chosen)

    def _report_chosen(self, choice) -> None:
        if choice is not None:
            self._in_thread(self._write_report, choice)

    @failures_told("No report: ", errors=(PlantuiError, OSError), timeout=8)
    def _write_report(self, choice) -> None:
        from plantui.tui.dialogs.report import write_board_report

        app = self.app
        path = write_board_report(app.database, choice, app.today)
        message = f"Wrote the board report to {path}"
        if path.parent != app.export_folder:
            try:  # a folder typed in the dialog is the one the user wants from now on
                app.choose_export_folder(path.parent)
                message += "; exports and reports now go to that folder"
            except PlantuiError:
                pass  # the report is written; the folder stays as it was
        app.call_from_thread(app.notify, message, timeout=8)

    def palette_commands(self) -> list[PaletteCommand]:
        app = self.app
        commands = [
            PaletteCommand("Board meeting", "step through actions and record changes (M)", self.meeting),
            PaletteCommand("Inspection findings", "rolled-up status, and those at risk (F)", self.findings),
            PaletteCommand(
                "Leads", "statuses, last update, what each owes in the open round (L)", self.leads
            ),
            PaletteCommand(
                "Trends",
                "status counts over time for the plan or the selected theme or area (T)",
                lambda: self.trends(self.screen.scope),
            ),
            PaletteCommand(
                "Scorecard", "every measure: value, target, status, trend, 12 periods (K)", self.scorecard
            ),
            PaletteCommand("Changes since…", "a date or the last meeting (C)", self.changes),
            PaletteCommand("Board report…", "Markdown, HTML, PDF or Word, to a file", self.report),
            PaletteCommand("Plan as at a date…", "the plan as it stood then, read-only (A)", self.as_at),
        ]
        if app.as_at is not None:
            commands.append(
                PaletteCommand(
                    "Back to today: the plan as it is now (live)", "leave the as-at view", app.show_now
                )
            )
        return commands
