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
from typing import TYPE_CHECKING, ClassVar, Protocol

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Key, Resize
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from plantui.domain.errors import InputError, PlantuiError
from plantui.domain.exceptions import count_by_worst_concern, counts_words
from plantui.domain.filters import Filter, check_names, parse_filter
from plantui.domain.refs import is_ref
from plantui.domain.search import SearchIndex
from plantui.domain.statuses import STATUSES
from plantui.domain.text import visible
from plantui.domain.views import ActionRow
from plantui.domain.wording import marked_words, plural, several_words
from plantui.tui import presentation as p
from plantui.tui.commands import PaletteCommand
from plantui.tui.marks import Marks
from plantui.tui.messages import (
    ChangeNotSaved,
    MeasuresChanged,
    MeetingStateChanged,
    PlanChanged,
    PlanLoaded,
    ReplicaStateChanged,
    StoreOpened,
)
from plantui.tui.plan_model import PLAN_SCOPE
from plantui.tui.saved_views import ViewKeeper
from plantui.tui.widgets.action_detail import ActionDetail
from plantui.tui.widgets.action_table import WORST_FIRST, ActionTable
from plantui.tui.widgets.filter_box import FilterBox
from plantui.tui.widgets.plan_footer import PlanFooter
from plantui.tui.widgets.plan_header import OneLine, PlanHeader, TotalsLine
from plantui.tui.widgets.plan_tree import PlanTree
from plantui.tui.workbench import Workbench

if TYPE_CHECKING:
    from plantui.tui.dialogs.goto import GoToChoice

FILTER_PLACEHOLDER = "/ to filter: words, rag:red, lead:NAME, theme:1.2, due:overdue, slipped"
NOTICE_SECONDS = 8.0  # how long the status line says what a change did
NARROW_BELOW = 100  # columns: below this the tree folds away and the panes stack
TREE_STEP = 4  # columns the tree grows or shrinks by with > and <
EXCEPTIONS_TERM = "exceptions"  # the filter term the exceptions view (!) sets


def tree_width(screen_width: int, steps: int = 0) -> int:
    """The theme tree's width: a quarter of a wide screen (32 to 64 columns, so theme and area titles
    read in full from about 160 columns), 28 on a narrow one, then `steps` of TREE_STEP wider or
    narrower as the user asked, never below 20 columns or above half the screen."""
    base = 28 if screen_width < NARROW_BELOW else max(32, min(64, screen_width // 4))
    return max(20, min(base + steps * TREE_STEP, screen_width // 2))


# Keys that act on the selected action (status keys and the editor's).
_ACTION_KEYS = frozenset({*(s.key for s in STATUSES), "e", "E", "i", "I"})

_STATUS_BINDINGS = [
    Binding(
        s.key,
        f"set_status('{s.code}')",
        "Status" if s.key == "1" else p.status_words(s.code),
        key_display="1-6" if s.key == "1" else None,
        show=s.key == "1",
        tooltip=f"{s.key}: {p.status_words(s.code)}",
        id=f"status.{s.code}",
    )
    for s in STATUSES
]


class BoardViewer(Protocol):
    """What this screen asks of the board views it is given (tui.board_views.BoardViews)."""

    def meeting(self) -> None: ...

    def findings(self) -> None: ...

    def leads(self) -> None: ...

    def trends(self, scope: str) -> None: ...

    def changes(self) -> None: ...

    def as_at(self) -> None: ...

    def palette_commands(self) -> list[PaletteCommand]: ...


class MainScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        # Help first, so the Footer keeps it in view even at 80 columns.
        Binding("question_mark,f1", "app.help", "Help", key_display="?", tooltip="Every key", id="main.help"),
        *_STATUS_BINDINGS,
        Binding("e", "edit", "Edit", tooltip="Status, note and milestone of the selected action", id="edit"),
        Binding(
            "E",
            "edit_text",
            "Edit text",
            tooltip="Title, success measures, detailed plan and leads of the selected action",
            show=False,
            id="edit_text",
        ),
        Binding(
            "i",
            "add_evidence",
            "Evidence",
            tooltip="Record evidence of impact against the selected action",
            show=False,
            id="evidence",
        ),
        Binding(
            "I",
            "toggle_impact",
            "Impact",
            tooltip="Mark the selected action's impact evidenced, or take the mark off",
            show=False,
            id="impact",
        ),
        Binding("u", "app.undo", "Undo", tooltip="Undo your last change (kept in the history)", id="undo"),
        Binding("U", "app.redo", "Redo", tooltip="Redo the change you last undid", id="redo", show=False),
        Binding("slash", "filter", "Filter", key_display="/", tooltip="Filter the actions", id="filter"),
        Binding(
            "escape",
            "clear_filter",
            "Clear",
            tooltip="Clear the marks, or else the filter",
            id="clear_filter",
        ),
        Binding(
            "space",
            "mark",
            "Mark",
            tooltip="Mark or unmark the selected action and move down; 1-6 and e then act on all marked",
            show=False,
            id="mark",
        ),
        Binding(
            "V",
            "mark_range",
            "Mark range",
            tooltip="Mark a range: V where it starts, move, then V or space to mark every row between",
            show=False,
            id="mark.range",
        ),
        Binding("g", "go_to", "Go to", tooltip="Jump to a ref, or find actions by words", id="goto"),
        Binding(
            "n",
            "next_match(1)",
            "Next match",
            tooltip="The next match of the last search (g)",
            show=False,
            id="search.next",
        ),
        Binding(
            "N",
            "next_match(-1)",
            "Previous match",
            tooltip="The previous match of the last search",
            show=False,
            id="search.previous",
        ),
        Binding(
            "a",
            "whole_plan",
            "Whole plan",
            tooltip="Apply the filter to the whole plan, not just the tree's selected node",
            show=False,
            id="whole_plan",
        ),
        Binding(
            "exclamation_mark",
            "exceptions",
            "Exceptions",
            key_display="!",
            tooltip="Off track, overdue, some issues, not started but due, slipped: worst first (again: all)",
            show=False,
            id="exceptions",
        ),
        Binding("t", "toggle_tree", "Tree", tooltip="Show or hide the theme tree", id="tree"),
        Binding(
            "v",
            "saved_views",
            "Views",
            tooltip="Saved views: recall one by its number, save the table's, delete one",
            show=False,
            id="views",
        ),
        Binding(
            "w",
            "wrap_titles",
            "Wrap",
            tooltip="Titles on two lines a row, or one",
            show=False,
            id="wrap",
        ),
        Binding(
            "y",
            "copy_action",
            "Copy",
            tooltip="Copy the selected action's ref and title",
            show=False,
            id="copy",
        ),
        Binding(
            "greater_than_sign",
            "widen_tree(1)",
            "Wider tree",
            key_display=">",
            tooltip="Give the theme tree more columns",
            show=False,
            id="tree.wider",
        ),
        Binding(
            "less_than_sign",
            "widen_tree(-1)",
            "Narrower tree",
            key_display="<",
            tooltip="Give the action table more columns",
            show=False,
            id="tree.narrower",
        ),
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
            "L",
            "leads",
            "Leads",
            tooltip="Each lead: statuses, last update, what they owe in the open round",
            id="leads",
            show=False,
        ),
        Binding(
            "T",
            "trends",
            "Trends",
            tooltip="Status counts over time for the plan or the selected theme or area",
            id="trends",
            show=False,
        ),
        Binding(
            "K",
            "scorecard",
            "Scorecard",
            tooltip="Every measure: latest value, target, status, trend, last 12 periods",
            id="scorecard",
            show=False,
        ),
        Binding(
            "A",
            "as_at",
            "As at",
            tooltip="The plan as it stood on a day, read-only",
            id="as_at",
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
        self.tree_steps = 0  # how far the user widened (+) or narrowed (-) the tree with > and <
        self._search_index: tuple[object, SearchIndex] | None = None  # (the model it was made from, it)
        self.search_hits: tuple[str, tuple[str, ...]] = ("", ())  # the last search by words, its refs
        self.marks = Marks()  # the actions marked to act on together (space, V)
        self._marks_saving: list[int] = []  # marks handed to a change not yet committed
        self.board = board_views(self)
        self.saved_views = ViewKeeper(self)  # `v` and the palette's "Save view…" and "View: NAME"

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
        self._size_tree()

    def _size_tree(self) -> None:
        self.query_one("#tree", PlanTree).styles.width = tree_width(self.size.width, self.tree_steps)

    def action_widen_tree(self, steps: int) -> None:
        """Make the tree wider (steps > 0) or narrower; showing it first if it was folded away."""
        if self.tree_hidden:
            self.action_toggle_tree()
            return
        before = tree_width(self.size.width, self.tree_steps)
        if tree_width(self.size.width, self.tree_steps + steps) != before:
            self.tree_steps += steps
            self._size_tree()

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

    def action_wrap_titles(self) -> None:
        table = self.query_one("#table", ActionTable)
        table.wrap_titles(table.row_height == 1)
        said = "Titles wrap onto two lines" if table.row_height == 2 else "Titles on one line"
        self.notify(f"{said} (w)", timeout=2)

    # --- the plan -------------------------------------------------------------------------------------

    def _show_banner(self) -> None:
        """Read-only: why. A replica: of what, when it last synced, what waits, and any conflicts."""
        banner = self.query_one("#banner", Static)
        replica = self.app.replica
        banner.display = self.app.read_only or replica is not None
        # calm while a replica only says where it stands; the alarm colour for read-only or conflicts
        banner.set_class(not self.app.read_only and replica is not None and not replica.to_review, "-replica")
        if self.app.read_only:
            reason = visible(self.app.read_only_reason)
            banner.update(Text(f"READ-ONLY: {reason}. You can look, but no change can be saved."))
        elif replica is not None:
            said = p.replica_words(replica)
            words = Text(said[0].upper() + said[1:])
            if replica.to_review:
                words.append(
                    f"  ·  {plural(replica.to_review, 'field')} changed on both sides: "
                    "review them (ctrl+p, conflicts)",
                    style=Style(bold=True),
                )
            else:
                words.append("  ·  ctrl+p, sync to sync")
            banner.update(words)

    @on(ReplicaStateChanged)
    def _show_replica(self) -> None:
        self._show_banner()

    @on(StoreOpened)
    def _store_opened(self) -> None:
        """The store behind the snapshot is open: whether it may be written is now certain."""
        model = self.app.model
        self._show_banner()
        if model is not None:
            header = self.query_one("#header", PlanHeader)
            header.set_plan(
                model.info.title,
                self.app.today,
                self.app.author,
                read_only=self.app.read_only,
                organisation=model.info.organisation,
            )

    @on(PlanLoaded)
    def _show_plan(self) -> None:
        model = self.app.model
        assert model is not None
        self._show_banner()
        self.query_one("#header", PlanHeader).set_plan(
            model.info.title,
            self.app.today,
            self.app.author,
            read_only=self.app.read_only,
            organisation=model.info.organisation,
        )
        self._show_meeting()
        self._show_totals()
        table = self.query_one("#table", ActionTable)
        table.today = self.app.today  # the as-at day in an as-at view: due states are judged then
        self.query_one("#detail", ActionDetail).judge_as_at(self.app.today)
        table.empty_text = "No actions here match the filter. Escape clears it."
        self.marks.clear()  # they named actions of the plan shown before (or of today, before as-at)
        table.show_marks(frozenset())
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
            self.query_one("#totals", TotalsLine).show(model.total, model.impact_evidenced)

    def refresh_table(self, keep: int | None = None) -> None:
        model = self.app.model
        if model is None:
            return
        rows = model.visible(self.scope, self.query_filter, self.app.today)
        table = self.query_one("#table", ActionTable)
        had_rows = bool(table.rows)
        table.highlight_words(tuple(w for w in self.query_filter.words if not is_ref(w.rstrip("."))))
        table.set_rows(rows, keep=keep)
        table.border_title = self._table_title(rows)
        self._show_filter_status(len(rows), len(model.rows))
        if bool(rows) != had_rows:  # the status and edit keys act on a selected action: grey them or not
            self.refresh_bindings()

    def _table_title(self, rows: list[ActionRow]) -> str:
        """ "Actions", or in the exceptions view how many there are of each concern, worst first; then
        how many rows are marked, when any are."""
        return self._plain_table_title(rows) + self._marks_title()

    def _plain_table_title(self, rows: list[ActionRow]) -> str:
        if not self.query_filter.exceptions:
            return "Actions"
        counts = count_by_worst_concern(rows, self.app.today)
        return f"Exceptions: {len(rows)}" + (f" · {counts_words(counts)}" if rows else "")

    def action_exceptions(self) -> None:
        """The whole plan's exceptions, worst first; pressed again, every action in plan order."""
        table = self.query_one("#table", ActionTable)
        if self.query_filter.exceptions and table.sort_column == WORST_FIRST.key:
            self.set_filter("")
            table.sort_by(None)
            return
        table.sort_by(WORST_FIRST.key)
        self.show_everywhere(EXCEPTIONS_TERM)

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
        text.append(f"{shown} of {plural(total, 'action')}", style=Style(bold=True))
        outside = 0 if error else self._matches_outside_scope(shown)
        if outside:  # before the node's title, which may be cut: this is the news
            text.append(f"  ·  {outside} more outside {self.scope} ", style=Style(bold=True))
            text.append("(a: whole plan)", style=Style(dim=True))
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

    def _matches_outside_scope(self, shown: int) -> int:
        """How many actions outside the tree's selected node the filter also picks."""
        model = self.app.model
        if model is None or self.scope == PLAN_SCOPE or self.query_filter.empty:
            return 0
        return len(self.query_filter.apply(model.rows, self.app.today)) - shown

    def action_whole_plan(self) -> None:
        """Filter the whole plan with the filter as it stands, not just the tree's selected node."""
        self.show_everywhere(self.query_filter.text)

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
            as_at = self.app.as_at
            if as_at is None:
                from plantui.store.queries import action_history

                history = action_history(database, ref)
            else:  # the plan as at a day: its history (and so its evidence) as it stood then
                from plantui.store.as_at import action_history_at

                history = action_history_at(database, ref, as_at)
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
        before = event.result.before
        if before is None or (before.title, before.leads) != (row.title, row.leads):
            self._search_index = None  # `g` and the palette find it by its new words at once
        if event.notice:
            self._marks_saving = []  # committed: the marks it was made for stay cleared
        table, tree = self.query_one("#table", ActionTable), self.query_one("#tree", PlanTree)
        for changed in _changed_rows(event.result):
            table.update_row(changed)
            tree.counts_changed(changed.ref)
        self._show_totals()
        if event.notice:
            self.show_notice(event.notice)
        elif self.scope != PLAN_SCOPE:  # the scope's counts on the status line may have moved
            self._show_filter_status(*self._filter_counts)

    # --- filtering ------------------------------------------------------------------------------------

    def action_filter(self) -> None:
        # Focus now, not after the queued keys: the words typed straight after `/` belong in the box.
        self.query_one("#filter", FilterBox).open()

    def set_filter(self, text: str) -> bool:
        """Put `text` in the filter box and apply it; False when the table did not change for it
        (the same filter, or one that cannot be read)."""
        box = self.query_one("#filter", Input)
        box.value = text
        return self._apply_filter(text)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._apply_filter(event.value)

    def _apply_filter(self, text: str) -> bool:
        model = self.app.model
        try:
            query = parse_filter(text)
            if model is not None:
                check_names(query, model.rows)
            if query.needs_owed:  # `owing`: the open update round's unreturned actions, read now
                from plantui.store.rounds import owing_refs

                query = query.with_owed(owing_refs(self.app.database))
        except InputError as error:
            if model is not None:
                shown = len(self.query_one("#table", ActionTable).rows)
                self._show_filter_status(shown, len(model.rows), str(error))
            return False
        if query == self.query_filter and query.text == self.query_filter.text:
            return False
        self.query_filter = query
        self._drop_notice()
        self.refresh_table()
        return True

    @on(Input.Submitted, "#filter")
    def _filter_done(self, _event: Input.Submitted) -> None:
        self.set_focus(self.query_one("#table", ActionTable))

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if self.marks and not box.has_focus:  # Escape clears the marks first, then the filter
            self.clear_marks()
            return
        had_focus = box.has_focus
        self.set_filter("")
        if had_focus:
            self.set_focus(self.query_one("#table", ActionTable))

    # --- changing -------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"set_status", "edit"}:
            # From any pane they act on the table's selected action (the one the detail pane shows),
            # or on every marked one; with neither they are greyed, and `on_key` says why when one is
            # pressed anyway.
            return self.selected is not None or bool(self.marks) or None
        if action == "clear_filter":
            has_focus = self.query_one("#filter", Input).has_focus
            return bool(self.marks) or not self.query_filter.empty or has_focus
        if action in {"mark", "mark_range"}:
            return self.selected is not None or None
        if action == "whole_plan":
            return self.scope != PLAN_SCOPE and not self.query_filter.empty
        return True

    @property
    def selected(self) -> ActionRow | None:
        return self.query_one("#table", ActionTable).current

    def on_key(self, event: Key) -> None:
        if (
            event.key in _ACTION_KEYS
            and self.selected is None
            and not self.marks
            and not isinstance(self.focused, Input)
        ):
            self.selected_or_say_why()

    def selected_or_say_why(self) -> ActionRow | None:
        """The selected action; when there is none, the status line says why and None is returned."""
        row = self.selected
        if row is None:
            empty = "the filter leaves no action here" if not self.query_filter.empty else "no action here"
            self.show_notice(f"No action selected: {empty}")
        return row

    def action_set_status(self, code: str) -> None:
        if self.marks:
            self.set_on_marked(code=code)
            return
        row = self.selected_or_say_why()
        if row is None or self.app.refuse_if_read_only():
            return
        from plantui.store.changes import Edit

        if row.status == code:
            self.show_notice(f"{row.ref} is already {p.status_words(code)}")
            return
        # The status the user saw goes with it: if someone changed it since, they are told whose change
        # theirs replaced.
        self.app.submit_change(Edit(row.ref, status=code, expected_status=row.status), p.saved_notice)

    def action_copy_action(self) -> None:
        """Copy "ref title" of the selected action to the clipboard (through the terminal, OSC 52)."""
        row = self.selected_or_say_why()
        if row is None:
            return
        self.app.copy_to_clipboard(f"{row.ref} {visible(row.title)}")
        self.show_notice(f"Copied {row.ref} and its title (if the terminal passes copies on)")

    def action_edit(self) -> None:
        if self.marks:
            self.edit_marked_milestone()
            return
        row = self.selected_or_say_why()
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

    def action_edit_text(self) -> None:
        row = self.selected_or_say_why()
        model = self.app.model
        if row is None or model is None or self.app.refuse_if_read_only():
            return
        from plantui.tui.dialogs.text_editor import TextEditorScreen

        self.app.push_screen(TextEditorScreen(row, model.leads()), self._save_text)

    def _save_text(self, edit) -> None:
        if edit is not None:
            self.app.submit_change(edit, p.saved_notice)

    # --- evidence of impact ---------------------------------------------------------------------------

    def action_add_evidence(self) -> None:
        row = self.selected_or_say_why()
        if row is None or self.app.refuse_if_read_only():
            return
        from plantui.tui.dialogs.evidence import EvidenceDialog

        self.app.push_screen(EvidenceDialog(row, self.app.today), self._save_evidence)

    def _save_evidence(self, request) -> None:
        if request is not None:
            self.app.submit_change(request, p.saved_notice)

    def action_toggle_impact(self) -> None:
        """Mark the selected action's impact evidenced, or take the mark off; the store refuses a mark
        with neither evidence nor a met linked measure, in one line the status line shows."""
        row = self.selected_or_say_why()
        if row is None or self.app.refuse_if_read_only():
            return
        from plantui.store.changes import SetImpact

        self.app.submit_change(SetImpact(row.ref, not row.impact), p.saved_notice)

    # --- marking several ------------------------------------------------------------------------------

    def action_mark(self) -> None:
        """Mark the selected action, or unmark it, and move down; with a range being drawn, mark it."""
        if self.marks.anchor is not None:
            self._fix_range()
            return
        row = self.selected_or_say_why()
        if row is None or self.app.refuse_if_read_only():
            return
        now = self.marks.toggle(row.id)
        table = self.query_one("#table", ActionTable)
        table.action_cursor_down()
        self._show_marks()
        count = len(self.marks.ids)
        done = f"{'Marked' if now else 'Unmarked'} {row.ref}"
        if count:
            self.show_notice(
                f"{done} · {count} marked: 1-6 or e act on them all · V marks a range · esc clears"
            )
        else:
            self.show_notice(f"{done} · none marked")

    def action_mark_range(self) -> None:
        """Start a range at the selected action (the rows to the cursor show marked as it moves), or
        mark the range being drawn."""
        if self.marks.anchor is not None:
            self._fix_range()
            return
        row = self.selected_or_say_why()
        if row is None or self.app.refuse_if_read_only():
            return
        self.marks.anchor = row.id
        self._show_marks()
        self.show_notice(f"Range from {row.ref}: move to extend it, then V or space marks it; esc cancels")

    def _fix_range(self) -> None:
        self.marks.add(self._range_ids())
        self.marks.anchor = None
        self._show_marks()

    def _range_ids(self) -> list[int]:
        """The rows of the range being drawn: from its anchor to the cursor, as the table shows them."""
        table = self.query_one("#table", ActionTable)
        current = table.current
        if self.marks.anchor is None or current is None:
            return []
        return table.ids_between(self.marks.anchor, current.id)

    def clear_marks(self) -> None:
        had = len(self.marks.ids)
        self.marks.clear()
        self._show_marks()
        self.show_notice(f"Marks cleared ({had})" if had else "Range cancelled")

    def _show_marks(self) -> None:
        """Draw the marks (and the range being drawn) and say how many in the table's title."""
        table = self.query_one("#table", ActionTable)
        if self.marks.anchor is not None and table.index_of(self.marks.anchor) is None:
            self.marks.anchor = None  # its first row is no longer shown: the range is gone
        table.show_marks(self.marks.shown(self._range_ids()))
        table.border_title = self._table_title(table.rows)
        self.refresh_bindings()

    def _marks_title(self) -> str:
        """ " · 3 marked (1 hidden by the filter) · 1-6 or e: all · esc clears", or nothing."""
        marked = self.marks.shown(self._range_ids())
        if not marked:
            return ""
        table = self.query_one("#table", ActionTable)
        hidden = sum(1 for action_id in marked if table.index_of(action_id) is None)
        return f" · {marked_words(len(marked), hidden)} · 1-6 or e: all · esc clears"

    @on(ActionTable.CursorMoved, "#table")
    def _extend_range(self, _event: ActionTable.CursorMoved) -> None:
        if self.marks.anchor is not None:
            self._show_marks()

    def _marked_rows(self) -> list[ActionRow]:
        """The marked actions (a range being drawn fixed first), in plan order."""
        model = self.app.model
        if self.marks.anchor is not None:
            self._fix_range()
        return self.marks.rows(model.rows) if model is not None else []

    def set_on_marked(self, *, code: str | None = None, milestone: str | None = None, note: str = "") -> None:
        """One status and/or milestone on every marked action, as one step (one undo takes it back).
        The marks clear when it is asked for, and come back if it is not saved."""
        if self.app.refuse_if_read_only():
            return
        rows = self._marked_rows()
        if not rows:
            self._show_marks()
            return
        from plantui.store.changes import EditSeveral

        already = [
            row
            for row in rows
            if (code is None or row.status == code)
            and (milestone is None or " ".join(row.milestone.split()) == " ".join(milestone.split()))
        ]
        if len(already) == len(rows):
            self.show_notice(f"Nothing to save: {several_words(0, len(rows), code, milestone)}")
            return
        request = EditSeveral(
            tuple(row.ref for row in rows),
            status=code,
            milestone=milestone,
            note=note,
            expected_statuses=tuple(row.status for row in rows) if code is not None else (),
            expected_milestones=tuple(row.milestone for row in rows) if milestone is not None else (),
        )
        self._marks_saving = [row.id for row in rows]
        self.marks.clear()
        self._show_marks()
        self.app.submit_change(request, p.several_saved_notice(code, milestone))

    @on(ChangeNotSaved)
    def _marks_back(self, _event: ChangeNotSaved) -> None:
        """A change of the marked actions was not saved: they are marked again, to try once more."""
        if self._marks_saving:
            self.marks.restore(self._marks_saving)
            self._marks_saving = []
            self._show_marks()

    def edit_marked_milestone(self) -> None:
        """The milestone editor over every marked action; saved as one step."""
        if self.app.refuse_if_read_only():
            return
        rows = self._marked_rows()
        if not rows:
            self._show_marks()
            return
        from plantui.tui.dialogs.several_milestone import SeveralMilestoneDialog

        def chosen(edit) -> None:
            if edit is not None:
                self.set_on_marked(milestone=edit.label, note=edit.note)

        self.app.push_screen(SeveralMilestoneDialog(rows, self.app.today), chosen)

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
        if not self.set_filter(expression):  # the same filter: the wider scope still needs showing
            self.refresh_table()

    def action_saved_views(self) -> None:
        self.saved_views.open_picker()

    def action_meeting(self) -> None:
        self.board.meeting()

    def action_findings(self) -> None:
        self.board.findings()

    def action_leads(self) -> None:
        self.board.leads()

    def action_trends(self) -> None:
        self.board.trends(self.scope)

    def action_scorecard(self) -> None:
        self.board.scorecard()

    @on(MeasuresChanged)
    def _measures_moved(self) -> None:
        self.query_one("#detail", ActionDetail).redraw()

    def action_changes(self) -> None:
        self.board.changes()

    def action_as_at(self) -> None:
        self.board.as_at()

    def action_go_to(self) -> None:
        from plantui.tui.dialogs.goto import GoToScreen

        model = self.app.model
        if model is None:
            return
        self.app.push_screen(GoToScreen(model.has, self.search_index()), self._went_to)

    def search_index(self) -> SearchIndex:
        """The plan's nodes and actions folded for searching by words, made once per loaded plan and
        again after a change to a title or leads (a status change leaves every title and lead as it was)."""
        model = self.app.model
        assert model is not None
        if self._search_index is None or self._search_index[0] is not model:
            self._search_index = (model, SearchIndex(model.rows, model.node_by_ref.values()))
        return self._search_index[1]

    def _went_to(self, choice: GoToChoice | None) -> None:
        if choice is None:
            return
        if choice.matches:
            self.search_hits = (choice.query, choice.matches)
            self._step_to_match(choice.matches.index(choice.ref))
        else:
            self.go_to_ref(choice.ref)

    def action_next_match(self, step: int) -> None:
        """Go to the next (step 1) or previous (-1) match of the last search by words."""
        if not self.search_hits[1]:
            self.notify("No search yet: g, then some words from a title or a lead", timeout=3)
            return
        refs = self.search_hits[1]
        current = self.selected.ref if self.selected is not None else None
        position = refs.index(current) + step if current in refs else (0 if step > 0 else -1)
        self._step_to_match(position % len(refs))

    def _step_to_match(self, position: int) -> None:
        query, refs = self.search_hits
        self.go_to_ref(refs[position])
        self.show_notice(f"match {position + 1} of {len(refs)} for {query!r}  (n next, N previous)")

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
            PaletteCommand("Edit the selected action", "status, note and milestone (e)", self.action_edit),
            PaletteCommand(
                "Edit the selected action's text",
                "title, success measures, detailed plan and leads (E)",
                self.action_edit_text,
            ),
            PaletteCommand(
                "Add evidence of impact to the selected action",
                "a short text, a link or file path, the day it is from (i)",
                self.action_add_evidence,
            ),
            PaletteCommand(
                "Mark or unmark the selected action's impact evidenced",
                "needs evidence or a linked measure met (I)",
                self.action_toggle_impact,
            ),
        ]
        commands += [
            PaletteCommand(
                f"Set status of selected: {p.status_words(s.code)}",
                f"key {s.key}: {s.label}",
                lambda code=s.code: self.action_set_status(code),
            )
            for s in STATUSES
        ]
        commands += [
            PaletteCommand(
                "Mark the selected action", "space; then 1-6 or e act on every marked one", self.action_mark
            ),
            PaletteCommand(
                "Mark a range", "V where it starts, move, then V or space", self.action_mark_range
            ),
            PaletteCommand("Clear the marks", "esc", self.clear_marks, discover=False),
        ]
        commands.append(
            PaletteCommand(
                "Exceptions, worst first",
                "off track, overdue, some issues, not started but due, slipped, across the plan (!)",
                self.action_exceptions,
            )
        )
        filters = [
            ("Filter: overdue", "due:overdue", "due:overdue"),
            ("Filter: due soon", "due:soon, within 30 days", "due:soon"),
            ("Filter: slipped", "due later than the baseline milestone", "slipped"),
            ("Filter: no due date", "due:none (Ongoing)", "due:none"),
            *(
                (f"Filter by status: {p.status_words(s.code)}", f"rag:{s.code}", f"rag:{s.code}")
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
            PaletteCommand("Wrap titles onto two lines, or back to one", "w", self.action_wrap_titles),
            PaletteCommand(
                "Milestone calendar",
                "what is due, overdue and slipped, month by month (m)",
                self.action_calendar,
            ),
            PaletteCommand("Switch light/dark theme", "remembered for next time", app.action_toggle_theme),
            PaletteCommand(
                "Export the plan as JSON", "with its history, to the exports folder", app.action_export
            ),
            PaletteCommand(
                "Export actions as CSV",
                "one row per action, to the exports folder",
                lambda: app.export_table("csv"),
            ),
            PaletteCommand(
                "Export to Excel (.xlsx)",
                "actions with coloured statuses, findings and history, to the exports folder",
                lambda: app.export_table("xlsx"),
            ),
            PaletteCommand(
                "Folder for exports and reports…",
                f"now {visible(str(app.export_folder))}; remembered",
                app.action_choose_export_folder,
            ),
            *self.board.palette_commands(),
            *self._replica_commands(),
            PaletteCommand("Help: every key", "? or F1", app.action_help),
            PaletteCommand("Quit", "q", app.exit),
        ]
        return commands

    def _replica_commands(self) -> list[PaletteCommand]:
        """On a replica: sync with its upstream, and review the fields both sides changed."""
        replica = self.app.replica
        if replica is None:
            return []
        where = visible(replica.state.upstream_display)
        return [
            PaletteCommand(
                "Sync with the upstream", f"send and bring down changes: {where}", self.app.sync_now
            ),
            PaletteCommand(
                "Review sync conflicts",
                f"{plural(replica.to_review, 'field')} changed on both sides, to keep or re-apply",
                self.action_conflicts,
            ),
        ]

    def action_conflicts(self) -> None:
        from plantui.tui.screens.conflicts import ConflictsScreen

        self.app.push_screen(ConflictsScreen())

    def _sort(self, key: str) -> None:
        table = self.query_one("#table", ActionTable)
        table.sort_by(key, reverse=table.sort_column == key and not table.sort_reverse)


def _changed_rows(result) -> list[ActionRow]:
    """Every action a committed change left changed: several for a change of marked actions or its
    undo, else the one."""
    touched = getattr(result, "touched", ())
    return [after for _before, after in touched] if touched else [result.action]
