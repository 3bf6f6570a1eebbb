"""The main screen: theme tree, action table, the selected action in full, and the status lines.

Moving in the tree scopes the table to that node; the `/` box filters it in memory with the same
language as `plantui list --filter`; `1`-`6` set the selected action's status at once and `e`/Enter
opens the editor. Narrower than 100 columns the tree folds away (`t` brings it back) and the detail
pane sits lower and shorter, so everything stays reachable at 80x24.

What a saved change did ("1.1.1.1 saved: ● On track -> ✖ Off track · u to undo") is said in the
status line above the table for a few seconds, not in a toast: it never covers the actions, a run of
changes in a meeting does not pile up, and it is drawn in the same frame as the changed row (a toast
is a new widget, and mounting it lays out and repaints the whole screen).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Protocol

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from plantui.domain.errors import InputError, PlantuiError
from plantui.domain.filters import Filter, parse_filter
from plantui.domain.statuses import STATUSES
from plantui.domain.text import visible
from plantui.domain.views import ActionRow
from plantui.tui import presentation as p
from plantui.tui.commands import PaletteCommand
from plantui.tui.messages import MeetingStateChanged, PlanChanged, PlanLoaded, StoreOpened
from plantui.tui.plan_model import PLAN_SCOPE
from plantui.tui.widgets.action_detail import ActionDetail
from plantui.tui.widgets.action_table import ActionTable
from plantui.tui.widgets.plan_footer import PlanFooter
from plantui.tui.widgets.plan_header import OneLine, PlanHeader, TotalsLine
from plantui.tui.widgets.plan_tree import PlanTree
from plantui.tui.workbench import Workbench

FILTER_PLACEHOLDER = "/ to filter: words, rag:red, lead:NAME, theme:1.2, due:overdue, slipped"
NOTICE_SECONDS = 8.0  # how long the status line says what a change did
NARROW_BELOW = 100  # columns: below this the tree folds away and the panes stack

_STATUS_BINDINGS = [
    Binding(
        s.key,
        f"set_status('{s.code}')",
        "Status" if s.key == "1" else f"{s.symbol} {s.short}",
        key_display="1-6" if s.key == "1" else None,
        show=s.key == "1",
        tooltip=f"{s.key}: {s.symbol} {s.short}",
        id=f"status.{s.code}",
    )
    for s in STATUSES
]


class BoardViewer(Protocol):
    """What this screen asks of the board views it is given (tui.board_views.BoardViews)."""

    def meeting(self) -> None: ...

    def findings(self) -> None: ...

    def changes(self) -> None: ...

    def palette_commands(self) -> list[PaletteCommand]: ...


class FilterBox(Input):
    """The `/` box. Out of the Tab order, so Tab moves between the panes; `/` or a click reaches it."""

    def on_mount(self) -> None:
        self.can_focus = False

    def open(self) -> None:
        self.can_focus = True
        self.screen.set_focus(self)

    def on_blur(self) -> None:
        self.can_focus = False

    def on_click(self) -> None:
        if not self.has_focus:
            self.open()


class MainScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        # Help first, so the Footer keeps it in view even at 80 columns.
        Binding("question_mark,f1", "app.help", "Help", key_display="?", tooltip="Every key", id="main.help"),
        *_STATUS_BINDINGS,
        Binding("e", "edit", "Edit", tooltip="Status, note and milestone of the selected action", id="edit"),
        Binding("u", "app.undo", "Undo", tooltip="Undo your last change (kept in the history)", id="undo"),
        Binding("U", "app.redo", "Redo", tooltip="Redo the change you last undid", id="redo", show=False),
        Binding("slash", "filter", "Filter", key_display="/", tooltip="Filter the actions", id="filter"),
        Binding("escape", "clear_filter", "Clear", tooltip="Clear the filter", id="clear_filter"),
        Binding("g", "go_to", "Go to", tooltip="Jump to a ref", id="goto"),
        Binding("t", "toggle_tree", "Tree", tooltip="Show or hide the theme tree", id="tree"),
        Binding("m", "calendar", "Calendar", tooltip="Milestones month by month", id="calendar"),
        Binding(
            "M", "meeting", "Meeting", tooltip="Board meeting: step through actions", id="meeting", show=False
        ),
        Binding(
            "F",
            "findings",
            "Findings",
            tooltip="Inspection findings and those at risk",
            id="findings",
            show=False,
        ),
        Binding(
            "C",
            "changes",
            "Changes",
            tooltip="Changes since a date or the last meeting",
            id="changes",
            show=False,
        ),
    ]

    app: Workbench  # PlanApp

    shows_saved_notices = True  # PlanApp leaves "saved" to the status line here (no toast)

    def __init__(self, board_views: Callable[[MainScreen], BoardViewer]) -> None:
        """`board_views` makes the helper that opens the board's views (tui.board_views.BoardViews):
        the app hands it in, so this screen does not import what it opens."""
        super().__init__()
        self.scope = PLAN_SCOPE
        self.notice: Text | None = None
        self._notice_timer: Timer | None = None
        self._filter_counts = (0, 0, "")  # shown, total, error: what the status line last said
        self.query_filter: Filter = parse_filter("")
        self.tree_hidden = False
        self.board = board_views(self)

    # --- layout ---------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield PlanHeader(id="header")
        yield Static(id="banner")
        yield TotalsLine(id="totals")
        with Horizontal(id="body"):
            yield PlanTree(id="tree")
            with Vertical(id="right"):
                yield ActionTable(today=self.app.today, id="table", empty_text="Loading the plan…")
                yield ActionDetail(today=self.app.today, id="detail")
                with Vertical(id="filter-bar"):
                    yield FilterBox(placeholder=FILTER_PLACEHOLDER, id="filter", compact=True)
                    yield OneLine(id="filter-status")
        yield PlanFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#tree", PlanTree).border_title = "Plan"
        self.query_one("#table", ActionTable).border_title = "Actions"
        self.query_one("#detail", ActionDetail).border_title = "Selected action"
        self._show_banner()
        self.set_focus(self.query_one("#table", ActionTable))
        if self.app.model is not None:
            self._show_plan()

    def on_resize(self, event: Resize) -> None:
        narrow = event.size.width < NARROW_BELOW
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            self.tree_hidden = narrow
            self._apply_tree_visibility()

    def _apply_tree_visibility(self) -> None:
        tree = self.query_one("#tree", PlanTree)
        tree.display = not self.tree_hidden
        if self.tree_hidden and tree.has_focus:
            self.set_focus(self.query_one("#table", ActionTable))

    def action_toggle_tree(self) -> None:
        self.tree_hidden = not self.tree_hidden
        self._apply_tree_visibility()
        if not self.tree_hidden:
            self.set_focus(self.query_one("#tree", PlanTree))

    # --- the plan -------------------------------------------------------------------------------------

    def _show_banner(self) -> None:
        banner = self.query_one("#banner", Static)
        banner.display = self.app.read_only
        if self.app.read_only:
            reason = visible(self.app.read_only_reason)
            banner.update(Text(f"READ-ONLY: {reason}. You can look, but no change can be saved."))

    @on(StoreOpened)
    def _store_opened(self) -> None:
        """The store behind the snapshot is open: whether it may be written is now certain."""
        model = self.app.model
        self._show_banner()
        if model is not None:
            header = self.query_one("#header", PlanHeader)
            header.set_plan(model.info.title, self.app.today, self.app.author, read_only=self.app.read_only)

    @on(PlanLoaded)
    def _show_plan(self) -> None:
        model = self.app.model
        assert model is not None
        self._show_banner()
        self.query_one("#header", PlanHeader).set_plan(
            model.info.title, self.app.today, self.app.author, read_only=self.app.read_only
        )
        self._show_meeting()
        self._show_totals()
        table = self.query_one("#table", ActionTable)
        table.empty_text = "No actions here match the filter. Escape clears it."
        self.query_one("#tree", PlanTree).load(model)
        self.refresh_table()

    @on(MeetingStateChanged)
    def _show_meeting(self) -> None:
        meeting = self.app.open_meeting
        self.query_one("#header", PlanHeader).set_meeting(meeting.name if meeting is not None else None)

    def _show_totals(self) -> None:
        model = self.app.model
        if model is not None:
            self.query_one("#header", PlanHeader).show(model.total)
            self.query_one("#totals", TotalsLine).show(model.total)

    def refresh_table(self, keep: int | None = None) -> None:
        model = self.app.model
        if model is None:
            return
        rows = model.visible(self.scope, self.query_filter, self.app.today)
        table = self.query_one("#table", ActionTable)
        had_rows = bool(table.rows)
        table.set_rows(rows, keep=keep)
        self._show_filter_status(len(rows), len(model.rows))
        if bool(rows) != had_rows:  # the status and edit keys act on a selected action: grey them or not
            self.refresh_bindings()

    def _show_filter_status(self, shown: int, total: int, error: str = "") -> None:
        self._filter_counts = (shown, total, error)
        model = self.app.model
        text = Text(end="", no_wrap=True, overflow="ellipsis")
        if self.notice is not None:  # first while it lasts: it is the answer to the key just pressed
            text.append_text(self.notice)
            text.append("  ·  ")
        if error:  # first, so that it is never the part cut off
            text.append(visible(error), style=Style(color="#ef4444", bold=True))
            text.append("  ·  still showing ")
        text.append(f"{shown} of {total} actions", style=Style(bold=True))
        if model is not None and self.scope != PLAN_SCOPE:
            node = model.node_by_ref.get(self.scope)
            text.append(f"  ·  in {self.scope} ")
            text.append_text(p.counts_text(model.counts[self.scope]))
            if node is not None:
                text.append(" ")
                text.append(visible(node.title))
        if not self.query_filter.empty:
            text.append("  ·  filter: ")
            text.append(visible(self.query_filter.text), style=Style(bold=True))
            text.append("  (esc clears)", style=Style(dim=True))
        self.query_one("#filter-status", OneLine).show_text(text)

    def show_notice(self, words: str) -> None:
        """Say what a change did in the status line, for a few seconds."""
        self.notice = Text(visible(words), style=Style(bold=True), end="")
        if self._notice_timer is not None:
            self._notice_timer.stop()
        self._notice_timer = self.set_timer(NOTICE_SECONDS, self._clear_notice)
        self._show_filter_status(*self._filter_counts)

    def _clear_notice(self) -> None:
        self._drop_notice()
        self._show_filter_status(*self._filter_counts)

    def _drop_notice(self) -> None:
        """Forget the notice without redrawing: the caller is about to say something newer."""
        self.notice = None
        if self._notice_timer is not None:
            self._notice_timer.stop()
            self._notice_timer = None

    @on(PlanTree.NodeHighlighted, "#tree")
    def _scope_to_node(self, event: PlanTree.NodeHighlighted) -> None:
        scope = event.node.data or PLAN_SCOPE
        if scope != self.scope:
            self.scope = scope
            self._drop_notice()  # the line now tells where the table is
            self.refresh_table()

    @on(ActionTable.CursorMoved, "#table")
    def _show_action(self, event: ActionTable.CursorMoved) -> None:
        detail = self.query_one("#detail", ActionDetail)
        model = self.app.model
        node = model.node_by_ref.get(self.scope) if model else None
        detail.show(event.row, node)
        if event.row is not None:
            self._load_history(event.row.ref)

    @work(thread=True, exclusive=True, group="history")
    def _load_history(self, ref: str) -> None:
        try:
            # The store first: it may still be opening behind the first frame, and importing the
            # queries (SQLAlchemy) before then would only slow that frame down.
            database = self.app.database
            from plantui.store.queries import action_history

            history = action_history(database, ref)
        except PlantuiError as error:
            from plantui.store.queries import UnknownStoredStatus

            if isinstance(error, UnknownStoredStatus):
                message = visible(str(error))  # quotes the store: data, not markup
                notify = self.app.notify
                self.app.call_from_thread(notify, message, severity="error", timeout=30, markup=False)
            return  # a store that did not open closes the app; a vanished action has no history to show
        self.app.call_from_thread(self.query_one("#detail", ActionDetail).show_history, ref, history)

    @on(ActionTable.Activated, "#table")
    def _activated(self, _event: ActionTable.Activated) -> None:
        self.action_edit()

    @on(PlanChanged)
    def _changed(self, event: PlanChanged) -> None:
        """Repaint only what the change moved: its row, the counts on its path, the totals and the
        status line, all in one frame; the detail pane follows (`update_row` reports the row again
        when it is the selected one, and the pane redraws itself after the frame)."""
        row = event.result.action
        model = self.app.model
        if model is None:
            return
        if not event.notice and event.result.before == row:
            return  # a change of ours coming back from the history watcher: already on screen
        self.query_one("#table", ActionTable).update_row(row)
        self.query_one("#tree", PlanTree).counts_changed(row.ref)
        self._show_totals()
        if event.notice:
            self.show_notice(event.notice)
        elif self.scope != PLAN_SCOPE:  # the scope's counts on the status line may have moved
            self._show_filter_status(*self._filter_counts)

    # --- filtering ------------------------------------------------------------------------------------

    def action_filter(self) -> None:
        # Focus now, not after the queued keys: the words typed straight after `/` belong in the box.
        self.query_one("#filter", FilterBox).open()

    def set_filter(self, text: str) -> None:
        box = self.query_one("#filter", Input)
        box.value = text
        self._apply_filter(text)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._apply_filter(event.value)

    def _apply_filter(self, text: str) -> None:
        model = self.app.model
        try:
            query = parse_filter(text)
        except InputError as error:
            if model is not None:
                shown = len(self.query_one("#table", ActionTable).rows)
                self._show_filter_status(shown, len(model.rows), str(error))
            return
        if query != self.query_filter or query.text != self.query_filter.text:
            self.query_filter = query
            self._drop_notice()
            self.refresh_table()

    @on(Input.Submitted, "#filter")
    def _filter_done(self, _event: Input.Submitted) -> None:
        self.set_focus(self.query_one("#table", ActionTable))

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        had_focus = box.has_focus
        self.set_filter("")
        if had_focus:
            self.set_focus(self.query_one("#table", ActionTable))

    # --- changing -------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"set_status", "edit"}:
            focused = self.focused
            if not isinstance(focused, ActionTable | ActionDetail):
                return None  # shown greyed: these act on the table's selected action
            return self.selected is not None or None
        if action == "clear_filter":
            return not self.query_filter.empty or self.query_one("#filter", Input).has_focus
        return True

    @property
    def selected(self) -> ActionRow | None:
        return self.query_one("#table", ActionTable).current

    def action_set_status(self, code: str) -> None:
        row = self.selected
        if row is None or self.app.refuse_if_read_only():
            return
        from plantui.store.changes import Edit

        if row.status == code:
            self.show_notice(f"{row.ref} is already {p.status_words(code)}")
            return
        # The status the user saw goes with it: if someone changed it since, they are told whose change
        # theirs replaced.
        self.app.submit_change(Edit(row.ref, status=code, expected_status=row.status), p.saved_notice)

    def action_edit(self) -> None:
        row = self.selected
        if row is None:
            return
        if self.app.refuse_if_read_only():
            return
        from plantui.tui.dialogs.editor import EditorScreen

        self.app.push_screen(EditorScreen(row, self.app.today), self._save_edit)

    def _save_edit(self, request) -> None:
        if request is None:
            return
        self.app.submit_change(request.change(), p.saved_notice)

    # --- going places ---------------------------------------------------------------------------------

    def action_calendar(self) -> None:
        """The milestone calendar over every action; Enter on a month filters the table to it."""
        from plantui.tui.screens.calendar import CalendarScreen

        model = self.app.model
        if model is None:
            return
        self.app.push_screen(CalendarScreen(model.rows, self.app.today), self._calendar_chose)

    def _calendar_chose(self, term: str | None) -> None:
        if not term:
            return
        kept = [t for t in self.query_filter.text.split() if not t.lower().startswith("due:")]
        self.show_everywhere(" ".join([*kept, term]))

    def show_everywhere(self, expression: str) -> None:
        """Filter the whole plan (not just the selected node) with `expression`."""
        self.scope = PLAN_SCOPE
        self.query_one("#tree", PlanTree).select_ref(PLAN_SCOPE)
        self.set_filter(expression)

    def action_meeting(self) -> None:
        self.board.meeting()

    def action_findings(self) -> None:
        self.board.findings()

    def action_changes(self) -> None:
        self.board.changes()

    def action_go_to(self) -> None:
        from plantui.tui.dialogs.goto import GoToScreen

        model = self.app.model
        if model is None:
            return
        self.app.push_screen(GoToScreen(model.has), self._went_to)

    def _went_to(self, ref: str | None) -> None:
        if ref:
            self.go_to_ref(ref)

    def go_to_ref(self, ref: str) -> None:
        """Show a theme, area or objective in the tree, or put the cursor on an action."""
        model = self.app.model
        if model is None:
            return
        ref = ref.strip().rstrip(".")
        tree = self.query_one("#tree", PlanTree)
        table = self.query_one("#table", ActionTable)
        if ref in model.node_by_ref:
            self.scope = ref
            self.refresh_table()
            tree.select_ref(ref)
            self.notify(f"Showing {ref}", timeout=2)
            return
        row = model.row(ref)
        if row is None:
            self.notify(f"{ref} names nothing in this plan", severity="warning")
            return
        if not self.query_filter.matches(row, self.app.today):
            self.set_filter("")
            self.notify(f"Filter cleared to show {ref}", timeout=3)
        self.scope = row.objective_ref
        self.refresh_table(keep=row.id)
        tree.select_ref(row.objective_ref)
        table.select_id(row.id)
        self.set_focus(table)

    # --- palette --------------------------------------------------------------------------------------

    def palette_commands(self) -> list[PaletteCommand]:
        """Every command of this screen by name, for the command palette."""
        app, table = self.app, self.query_one("#table", ActionTable)
        commands = [
            PaletteCommand("Edit the selected action", "status, note and milestone (e)", self.action_edit)
        ]
        commands += [
            PaletteCommand(
                f"Set status of selected: {s.symbol} {s.short}",
                f"key {s.key}: {s.label}",
                lambda code=s.code: self.action_set_status(code),
            )
            for s in STATUSES
        ]
        filters = [
            ("Filter: overdue", "due:overdue", "due:overdue"),
            ("Filter: due soon", "due:soon, within 30 days", "due:soon"),
            ("Filter: slipped", "due later than the baseline milestone", "slipped"),
            ("Filter: no due date", "due:none (Ongoing)", "due:none"),
            *(
                (f"Filter by status: {s.symbol} {s.short}", f"rag:{s.code}", f"rag:{s.code}")
                for s in STATUSES
            ),
        ]
        commands += [
            PaletteCommand("Go to ref…", "jump to a theme, area, objective or action (g)", self.action_go_to),
            PaletteCommand(
                "Undo your last change", "u or ctrl+z; the undo is kept in the history", app.action_undo
            ),
            PaletteCommand("Redo the change you last undid", "U or ctrl+y", app.action_redo),
            PaletteCommand(
                "Clear filter", "every action under the selected node (esc)", self.action_clear_filter
            ),
            *(PaletteCommand(name, hint, lambda t=term: self.set_filter(t)) for name, hint, term in filters),
        ]
        for lead in app.model.leads() if app.model else []:
            term = 'lead:"{}"'.format(lead.replace('"', ""))
            name = f"Filter by lead: {visible(lead)}"
            commands.append(
                PaletteCommand(name, visible(term), lambda t=term: self.set_filter(t), discover=False)
            )
        for column in table.columns:
            name = f"Sort by {column.label}"
            commands.append(
                PaletteCommand(name, "again to reverse", lambda k=column.key: self._sort(k), False)
            )
        commands += [
            PaletteCommand(
                "Sort in plan order", "as the plan is printed", lambda: table.sort_by(None), False
            ),
            PaletteCommand("Show or hide the theme tree", "t", self.action_toggle_tree),
            PaletteCommand(
                "Milestone calendar",
                "what is due, overdue and slipped, month by month (m)",
                self.action_calendar,
            ),
            PaletteCommand("Switch light/dark theme", "remembered for next time", app.action_toggle_theme),
            PaletteCommand(
                "Export the plan as JSON", "with its history, to the current folder", app.action_export
            ),
            PaletteCommand(
                "Export actions as CSV",
                "one row per action, to the current folder",
                lambda: app.export_table("csv"),
            ),
            PaletteCommand(
                "Export to Excel (.xlsx)",
                "actions with coloured statuses, findings and history, to the current folder",
                lambda: app.export_table("xlsx"),
            ),
            *self.board.palette_commands(),
            PaletteCommand("Help: every key", "? or F1", app.action_help),
            PaletteCommand("Quit", "q", app.exit),
        ]
        return commands

    def _sort(self, key: str) -> None:
        table = self.query_one("#table", ActionTable)
        table.sort_by(key, reverse=table.sort_column == key and not table.sort_reverse)
