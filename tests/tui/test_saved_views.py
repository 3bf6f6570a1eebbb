"""Saved views in the workbench: "Save view…" keeps the filter, tree node and sort (saying so only
after the commit, asking before replacing), `v` lists the views numbered and a digit recalls one,
`d` deletes one after a yes, a view saved elsewhere shows up without a restart, and a saved view
survives a restart."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from plantui.domain.saved_views import DEFAULT_VIEWS, SORTS, SavedView
from plantui.store import tables as T
from plantui.store.opening import open_database
from plantui.store.saved_views import list_views, save_view
from plantui.tui.dialogs.confirm import ConfirmDialog
from plantui.tui.dialogs.saved_views import ViewNameDialog, ViewPicker
from plantui.tui.widgets.action_table import ActionTable
from plantui.tui.widgets.plan_tree import PlanTree
from tests.conftest import TODAY, mini_plan
from tests.tui.conftest import AUTHOR, SIZE, build_app, screen_text, settle, shown, status_line

MARKUP = "[bold]Reds[/] [x"


def logged_views(path: Path) -> list[tuple[str, str, str | None, str | None]]:
    """The plan's log rows for views (`plantui.store.sync_plan_log`): author, key, old name, new name."""
    database = open_database(path, daily_backup=False)
    g = T.plan_log
    try:
        with database.read() as conn:
            rows = conn.execute(select(g.c.author, g.c.key, g.c.old, g.c.new).order_by(g.c.id)).all()
    finally:
        database.close()
    name = lambda text: None if text is None else json.loads(text)["name"]  # noqa: E731
    return [(author, key, name(old), name(new)) for author, key, old, new in rows]


def stored_views(path: Path) -> list[SavedView]:
    database = open_database(path, daily_backup=False)
    try:
        return list_views(database)
    finally:
        database.close()


async def palette(pilot, words: str) -> None:
    """Run the palette command found by `words` (the first hit)."""
    await pilot.press("ctrl+p", *words)
    await pilot.pause(0.3)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def test_a_view_saved_from_the_palette_is_recalled_with_v_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "plan.db"
    app = build_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"-rag:complete", "enter")
        app.screen.query_one("#tree", PlanTree).select_ref("1.1")
        await settle(pilot)
        app.screen.query_one("#table", ActionTable).sort_by("status", reverse=True)
        await palette(pilot, "save view")
        assert isinstance(app.screen, ViewNameDialog)
        assert "-rag:complete · in 1.1 · by status (reversed)" in screen_text(app)
        await pilot.press(*MARKUP, "enter")
        await settle(pilot)
        assert f"Saved view '{MARKUP}' · v to recall it" in status_line(app)
    app.database.close()
    assert stored_views(path)[-1] == SavedView(MARKUP, "-rag:complete", "1.1", "status:desc")

    again = build_app(path)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert shown(again) == [
            "1.1.1.1", "1.1.1.2", "1.1.1.3", "1.2.1.1", "1.2.1.2", "2.1.1.1", "2.1.1.2"
        ]  # fmt: skip
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(again.screen, ViewPicker)
        text = screen_text(again)
        assert "1 Exceptions" in text and "2 Due this month" in text and f"3 {MARKUP}" in text
        await pilot.press("3")
        await settle(pilot)
        screen = again.screen
        table = screen.query_one("#table", ActionTable)
        assert (screen.scope, screen.query_filter.text) == ("1.1", "-rag:complete")
        assert (table.sort_column, table.sort_reverse) == ("status", True)
        assert shown(again) == ["1.1.1.3", "1.1.1.2"]  # on track before off track: worst first, reversed
        assert screen.query_one("#tree", PlanTree).cursor_node.data == "1.1"
        assert f"View '{MARKUP}': -rag:complete · in 1.1 · by status (reversed)" in status_line(again)
    again.database.close()


async def test_recalling_exceptions_is_the_bang_view(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("exclamation_mark")
        await settle(pilot)
        by_bang = (shown(app), app.screen.query_one("#table", ActionTable).border_title)
        await pilot.press("escape")
        app.screen.query_one("#table", ActionTable).sort_by("title")
        await settle(pilot)
        await pilot.press("v", "1")
        await settle(pilot)
        assert (shown(app), app.screen.query_one("#table", ActionTable).border_title) == by_bang
        assert by_bang[1].startswith("Exceptions: 3")


async def test_saving_under_a_taken_name_asks_first_and_replaces_only_on_yes(
    make_app, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"rag:red", "enter")
        await settle(pilot)
        for answer in ("n", "y"):
            await pilot.press("v", "s")
            await settle(pilot)
            await pilot.press(*"EXCEPTIONS", "enter")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmDialog)
            assert "Replace the view 'Exceptions'?" in screen_text(app)
            await pilot.press(answer)
            await settle(pilot)
        assert "Replaced view 'EXCEPTIONS'" in status_line(app)
    assert stored_views(tmp_path / "plan.db") == [SavedView("EXCEPTIONS", "rag:red"), DEFAULT_VIEWS[1]]
    # One row in the plan's log, written with the view: the "no" wrote nothing.
    assert logged_views(tmp_path / "plan.db") == [(AUTHOR, "exceptions", "Exceptions", "EXCEPTIONS")]


async def test_a_view_is_deleted_from_the_picker_only_after_a_yes(make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "down", "d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "Delete the view 'Due this month'?" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ViewPicker)
        await pilot.press("d", "y")
        await settle(pilot)
        assert "Deleted view 'Due this month'" in status_line(app)
    assert stored_views(tmp_path / "plan.db") == [DEFAULT_VIEWS[0]]
    assert logged_views(tmp_path / "plan.db") == [(AUTHOR, "due this month", "Due this month", None)]


async def test_a_view_saved_elsewhere_shows_in_the_picker_and_palette_without_a_restart(
    make_app, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        other = open_database(tmp_path / "plan.db", daily_backup=False)  # another window, or the CLI
        try:
            save_view(other, SavedView("Digital", "lead:digital", "2", "due"))
        finally:
            other.close()
        await pilot.press("v")
        await settle(pilot)
        assert "3 Digital" in screen_text(app)
        await pilot.press("escape")
        await palette(pilot, "view: digit")
        assert shown(app) == ["2.1.1.1"]
        assert "View 'Digital': lead:digital · in 2 · by due" in status_line(app)


async def test_a_view_that_no_longer_fits_the_plan_is_told_and_changes_nothing(
    make_app, tmp_path: Path
) -> None:
    doc = mini_plan()
    app = make_app(doc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        keeper = app.screen.saved_views
        keeper.recall(SavedView("Gone", "lead:nobody"))
        await settle(pilot)
        assert "View 'Gone' no longer fits the plan: filter term 'lead:nobody'" in " ".join(
            n for _t, n in ((None, m.message) for m in app._notifications)
        )
        assert app.screen.query_filter.empty and len(shown(app)) == 7


async def test_a_read_only_plan_refuses_to_save_a_view(make_app) -> None:
    app = make_app(readonly=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "s")
        await settle(pilot)
        assert not isinstance(app.screen, ViewNameDialog)


async def test_the_table_sorts_as_a_view_lists(make_app) -> None:
    """`plantui list --view` orders rows with the domain's sorts; the table must agree for every key."""
    from plantui.domain.saved_views import view_rows

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#table", ActionTable)
        assert {column.key for column in table.columns} == set(SORTS)
        for key in SORTS:
            for reverse in (False, True):
                table.sort_by(key, reverse)
                view = SavedView("x", sort=f"{key}:desc" if reverse else key)
                assert shown(app) == [row.ref for row in view_rows(view, app.model.rows, TODAY)], view.sort


def test_the_picker_at_120x36(snap_compare, make_app) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        database = pilot.app.database
        save_view(database, SavedView(MARKUP, '-rag:complete lead:"Head of"', "1.2", "status:desc"))
        await pilot.press("v")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=run_before)


def test_the_picker_at_80x24(snap_compare, make_app) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        save_view(pilot.app.database, SavedView(MARKUP, '-rag:complete lead:"Head of"', "1.2", "status:desc"))
        await pilot.press("v", "down")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)
