"""Saved views in the workbench: save what the table shows, recall a view, delete one.

`ViewKeeper` belongs to the main screen. It reads the current view (the `/` filter, the tree's
selected node, the table's sort) and sets one back; every store read and write
(`plantui.store.saved_views`, the same functions as `plantui view ...`) runs in a thread worker, and
"saved" is said only once the commit has returned. The views are read afresh each time the picker
(`v`) or the command palette opens, so a view saved in another window or by `plantui view save`
shows up without a restart.

`SavedViewCommands` adds "Save view…" and one "View: NAME" command per view to the palette.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Protocol

from textual.command import DiscoveryHit, Hit, Hits, Provider

from plantui.domain.errors import InputError, PlantuiError
from plantui.domain.filters import check_names, parse_filter
from plantui.domain.saved_views import SavedView, parse_sort, sort_text
from plantui.domain.text import visible
from plantui.tui.plan_model import PLAN_SCOPE
from plantui.tui.widgets.action_table import ActionTable
from plantui.tui.widgets.plan_tree import PlanTree

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from plantui.domain.filters import Filter
    from plantui.tui.dialogs.saved_views import ViewPick
    from plantui.tui.workbench import Workbench


class ViewScreen(Protocol):
    """What the keeper asks of the main screen (tui.screens.main.MainScreen)."""

    app: Workbench
    scope: str
    query_filter: Filter

    def query_one(self, selector, expect_type=None): ...

    def set_filter(self, text: str) -> bool: ...

    def refresh_table(self, keep: int | None = None) -> None: ...

    def show_notice(self, words: str) -> None: ...

    def run_worker(self, work, **options): ...


class ViewKeeper:
    def __init__(self, screen: ViewScreen) -> None:
        self.screen = screen

    @property
    def app(self) -> Workbench:
        return self.screen.app

    # --- reading --------------------------------------------------------------------------------------

    def read_views(self) -> list[SavedView]:
        """The plan's views, from the store (in a worker thread); none when the store cannot say."""
        from plantui.store.saved_views import list_views

        try:
            return list_views(self.app.database)
        except PlantuiError:
            return []

    def current_view(self) -> SavedView:
        """What the table shows now, as a view with no name yet."""
        table = self.screen.query_one("#table", ActionTable)
        sort = sort_text(table.sort_column, table.sort_reverse)
        return SavedView("", self.screen.query_filter.text.strip(), self.screen.scope, sort)

    # --- the picker -----------------------------------------------------------------------------------

    def open_picker(self) -> None:
        self.screen.run_worker(self._read_for_picker, thread=True, exclusive=True, group="views")

    def _read_for_picker(self) -> None:
        views = self.read_views()
        self.app.call_from_thread(self._show_picker, views)

    def _show_picker(self, views: list[SavedView]) -> None:
        from plantui.tui.dialogs.saved_views import ViewPicker

        self.app.push_screen(ViewPicker(views), self._picked)

    def _picked(self, pick: ViewPick | None) -> None:
        if pick is None:
            return
        if pick.action == "save":
            self.ask_to_save()
        elif pick.view is not None and pick.action == "recall":
            self.recall(pick.view)
        elif pick.view is not None and pick.action == "delete":
            self.delete(pick.view)

    # --- recalling ------------------------------------------------------------------------------------

    def recall(self, view: SavedView) -> None:
        """Set the view's filter, tree node and sort, and say so in the status line."""
        screen, model = self.screen, self.app.model
        if model is None:
            return
        table = screen.query_one("#table", ActionTable)
        try:
            check_names(parse_filter(view.filter), model.rows)
            if view.node and view.node not in model.node_by_ref:
                raise InputError(f"the plan has no theme, area or objective numbered {view.node}")
            key, reverse = parse_sort(view.sort)
            if key is not None and key not in {column.key for column in table.columns}:
                raise InputError(f"the table cannot sort by {key}")
        except InputError as error:
            self.app.notify(
                f"View '{visible(view.name)}' no longer fits the plan: {visible(str(error))}",
                severity="error",
                timeout=8,
                markup=False,
            )
            return
        screen.scope = view.node or PLAN_SCOPE
        screen.query_one("#tree", PlanTree).select_ref(screen.scope)
        table.sort_by(key, reverse)
        if not screen.set_filter(view.filter):  # the same filter: the node and sort still need showing
            screen.refresh_table()
        screen.show_notice(f"View '{view.name}': {view.describe()}")

    # --- saving and deleting --------------------------------------------------------------------------

    def ask_to_save(self) -> None:
        """Ask a name, then keep what the table shows under it (asking first before replacing)."""
        from plantui.tui.dialogs.saved_views import ViewNameDialog

        if self.app.refuse_if_read_only():
            return
        current = self.current_view()

        def named(name: str | None) -> None:
            if name:
                self._save(replace(current, name=name), replace_existing=False)

        self.app.push_screen(ViewNameDialog(current), named)

    def _save(self, view: SavedView, *, replace_existing: bool) -> None:
        work = partial(self._save_in_thread, view, replace_existing)
        self.screen.run_worker(work, thread=True, group="views-save")

    def _save_in_thread(self, view: SavedView, replace_existing: bool) -> None:
        from plantui.store.saved_views import ViewNameTaken, save_view

        try:
            kept, replaced = save_view(
                self.app.database, view, replace=replace_existing, author=self.app.author
            )
        except ViewNameTaken as taken:
            self.app.call_from_thread(self._ask_to_replace, view, taken.existing)
            return
        except PlantuiError as error:
            self.app.call_from_thread(self._not_saved, str(error))
            return
        self.app.call_from_thread(self._saved, kept, replaced)

    def _ask_to_replace(self, view: SavedView, existing: str) -> None:
        from plantui.tui.dialogs.confirm import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes:
                self._save(view, replace_existing=True)

        question = ConfirmDialog(
            f"Replace the view {visible(existing)!r}?",
            f"The plan already has a view called {visible(existing)!r}. Yours shows {view.describe()}.",
            "Replace it with yours?",
        )
        self.app.push_screen(question, answered)

    def _saved(self, kept: SavedView, replaced: bool) -> None:
        self.screen.show_notice(f"{'Replaced' if replaced else 'Saved'} view '{kept.name}' · v to recall it")

    def _not_saved(self, reason: str) -> None:
        self.app.notify(f"View not saved: {visible(reason)}", severity="error", timeout=8, markup=False)

    def delete(self, view: SavedView) -> None:
        if self.app.refuse_if_read_only():
            return
        self.screen.run_worker(partial(self._delete_in_thread, view), thread=True, group="views-save")

    def _delete_in_thread(self, view: SavedView) -> None:
        from plantui.store.saved_views import delete_view

        try:
            gone = delete_view(self.app.database, view.name, author=self.app.author)
        except PlantuiError as error:
            message = f"View not deleted: {visible(str(error))}"
            self.app.call_from_thread(self.app.notify, message, severity="error", timeout=8, markup=False)
            return
        self.app.call_from_thread(self.screen.show_notice, f"Deleted view '{gone.name}'")


def _keeper_of(screen: DOMNode) -> ViewKeeper | None:
    keeper = getattr(screen, "saved_views", None)
    return keeper if isinstance(keeper, ViewKeeper) else None


class SavedViewCommands(Provider):
    """The palette's "Save view…" and "View: NAME" commands, the views read as the palette opens."""

    async def startup(self) -> None:
        keeper = _keeper_of(self.screen)
        self.views = [] if keeper is None else await asyncio.to_thread(keeper.read_views)

    def _commands(self) -> list[tuple[str, str, object]]:
        keeper = _keeper_of(self.screen)
        if keeper is None:
            return []
        commands: list[tuple[str, str, object]] = [
            (
                "Save view…",
                "name what the table shows: filter, tree node and sort (v lists views)",
                keeper.ask_to_save,
            )
        ]
        for view in self.views:
            commands.append((f"View: {visible(view.name)}", view.describe(), partial(keeper.recall, view)))
        return commands

    async def discover(self) -> Hits:
        for name, help_text, run in self._commands():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, run in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, text=name, help=help_text)
