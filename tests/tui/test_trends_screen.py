"""The Trends screen (`T`): status counts over time for the plan, a theme or an area, drawn with
characters that read without colour, with the counts as numbers; it follows the as-at day and
`--today`, and reads the trend again when the plan changes."""

from __future__ import annotations

from datetime import date, datetime

from plantui.store.changes import set_status
from plantui.tui.app import PlanApp
from plantui.tui.dialogs.trend_scope import TrendScopeDialog
from plantui.tui.screens.main import MainScreen
from plantui.tui.screens.trends import TrendsScreen, segment_widths
from tests.conftest import TODAY
from tests.tui.conftest import AUTHOR, SIZE, screen_text, settle


def _history(database) -> None:
    """Two moves in the summer, so the month ends differ: 1.1.1.3 goes off track in July and comes back
    on track in September; 2.1.1.1 starts in August."""
    set_status(database, "1.1.1.3", "off_track", author="Colleague", at=datetime(2022, 7, 10, 10))
    set_status(database, "2.1.1.1", "on_track", author="Colleague", at=datetime(2022, 8, 10, 10))
    set_status(database, "1.1.1.3", "on_track", author="Colleague", at=datetime(2022, 9, 10, 10))


def _table_row(text: str, label: str) -> list[str]:
    line = next(
        line for line in reversed(text.splitlines()) if line.strip().startswith(label)
    )  # the table is below the bars
    return line.strip().removeprefix(label).split()


async def _open_trends(app, pilot) -> TrendsScreen:
    await settle(pilot)
    await pilot.press("T")
    await settle(pilot)
    assert isinstance(app.screen, TrendsScreen)
    return app.screen


async def test_t_shows_the_plans_status_counts_at_each_month_end_as_bars_and_numbers(make_app) -> None:
    app = make_app()
    _history(app.database)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_trends(app, pilot)
        text = screen_text(app)
        assert "Trends  ·  Whole plan  ·  7 actions" in text
        assert "Status counts at the last 6 month ends and today, 1 Nov 2022" in text
        assert "✔ Complete  ● On track  ▲ Some issues  ✖ Off track  ○ Not started  ∞ BAU" in text
        # Point, complete, on track, some issues, off track, not started, BAU, total
        assert _table_row(text, "30 Jun 2022") == ["1", "1", "1", "2", "1", "1", "7"]
        assert _table_row(text, "31 Jul 2022") == ["1", "0", "1", "3", "1", "1", "7"]
        assert _table_row(text, "31 Aug 2022") == ["1", "1", "1", "3", "0", "1", "7"]
        assert _table_row(text, "1 Nov 2022") == ["1", "2", "1", "2", "0", "1", "7"]
        assert _table_row(text, "Change") == ["0", "+1", "0", "0", "-1", "0", "0"]
        # The bars draw each status with its symbol, one character an action at this size.
        bar = next(line for line in text.splitlines() if line.strip().startswith("31 Jul 2022  "))
        assert bar.split()[3] == "✔▲✖✖✖○∞" and bar.split()[4] == "7"
        assert "One character stands for one action." in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_the_scope_starts_at_the_tree_selection_and_s_or_brackets_change_it(make_app) -> None:
    app = make_app()
    _history(app.database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.show_everywhere("")  # the plan, then down the tree to theme 2
        await pilot.press("t")
        await settle(pilot)
        from plantui.tui.widgets.plan_tree import PlanTree

        app.screen.query_one("#tree", PlanTree).select_ref("2")
        await settle(pilot)
        assert app.screen.scope == "2"
        screen = await _open_trends(app, pilot)
        text = screen_text(app)
        assert "Trends  ·  Theme 2: " in text and "2 actions" in text
        assert _table_row(text, "31 Jul 2022") == ["0", "0", "0", "1", "1", "0", "2"]
        await pilot.press("right_square_bracket")  # theme 2's area
        await settle(pilot)
        assert screen.scope == "2.1" and "Area 2.1: " in screen_text(app)
        await pilot.press("right_square_bracket")  # after the last theme and area: the whole plan
        await settle(pilot)
        assert screen.scope == "" and "Whole plan  ·  7 actions" in screen_text(app)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.scope == "1" and "Theme 1: " in screen_text(app)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, TrendScopeDialog)
        await pilot.press("down", "enter")  # the first area of theme 1
        await settle(pilot)
        assert app.screen is screen and screen.scope == "1.1"
        text = screen_text(app)
        assert "Area 1.1: " in text and "3 actions" in text
        assert _table_row(text, "31 Jul 2022") == ["1", "0", "0", "2", "0", "0", "3"]


async def test_the_trends_follow_the_as_at_day(tmp_path) -> None:
    from plantui.store.opening import open_database
    from plantui.store.plans import load_document
    from tests.conftest import mini_plan

    database = open_database(tmp_path / "plan.db")
    load_document(database, mini_plan())
    _history(database)
    app = PlanApp(database, today=date(2023, 1, 5), author=AUTHOR, as_at=date(2022, 8, 20))
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await _open_trends(app, pilot)
        text = screen_text(app)
        assert "Status counts at the last 6 month ends and as at 20 Aug 2022" in text
        assert "28 Feb 2022" in text and "31 Jul 2022" in text and "30 Sep 2022" not in text
        # as it stood on 20 August: 1.1.1.3 still off track, 2.1.1.1 started
        assert _table_row(text, "20 Aug 2022") == ["1", "1", "1", "3", "0", "1", "7"]
    database.close()


async def test_the_trends_read_again_when_a_change_is_saved(make_app) -> None:
    from plantui.store.changes import Edit

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open_trends(app, pilot)
        assert _table_row(screen_text(app), "1 Nov 2022") == ["1", "1", "1", "2", "1", "1", "7"]
        app.submit_change(Edit("2.1.1.2", status="complete", expected_status="off_track"), lambda _r: "")
        await settle(pilot)
        assert _table_row(screen_text(app), "1 Nov 2022") == ["2", "1", "1", "1", "1", "1", "7"]
        assert _table_row(screen_text(app), "Change") == ["+1", "0", "0", "-1", "0", "0", "0"]


async def test_the_trends_follow_a_change_another_process_commits(database, db_target: str) -> None:
    from tests.tui.test_live_reload import LONG_AFTER, plantui, wait_for

    app = PlanApp(database, today=TODAY, author=AUTHOR, live_refresh_seconds=LONG_AFTER)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_for(pilot, lambda: app.model is not None)
        await pilot.press("T")
        assert await wait_for(pilot, lambda: "1 Nov 2022" in screen_text(app))
        plantui(db_target, "set", "1.1.1.3", "--rag", "off_track")
        assert await wait_for(
            pilot, lambda: _table_row(screen_text(app), "1 Nov 2022") == ["1", "0", "1", "3", "1", "1", "7"]
        )
        app.workers.cancel_all()
        await settle(pilot)


async def test_a_theme_the_replaced_plan_no_longer_has_gives_way_to_the_whole_plan(make_app) -> None:
    """After `import --force` of a plan without the theme on screen, the screen must not go on naming
    it (or show it as "Whole plan" with nothing in it): it says so and shows the whole plan."""
    from plantui.store.plans import load_document
    from tests.conftest import mini_plan
    from tests.tui.conftest import notices

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(TrendsScreen("2"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TrendsScreen) and "Trends  ·  Theme 2: " in screen_text(app)
        smaller = mini_plan()
        smaller.themes = smaller.themes[:1]
        smaller.findings = []
        load_document(app.database, smaller, replace=True)
        app.load_plan()
        await settle(pilot)
        assert screen.scope == ""
        assert "Trends  ·  Whole plan  ·  5 actions" in screen_text(app)
        assert "2 is no longer in the plan: showing the whole plan" in notices(app)


def test_every_status_in_a_bar_keeps_a_character_and_the_bar_keeps_its_length() -> None:
    assert segment_widths([1, 0, 0, 9998, 0, 1], 50) == [1, 0, 0, 48, 0, 1]
    assert segment_widths([2, 1, 1, 3, 0, 1], 8) == [2, 1, 1, 3, 0, 1]
    assert sum(segment_widths([3537, 1587, 836, 468, 1702, 1870], 61)) == 61
    assert segment_widths([0, 0, 0, 0, 0, 0], 20) == [0] * 6
    assert segment_widths([1, 1, 1, 1, 1, 1], 3) == [1] * 6  # never less than one each


def _trends_snapshot(size):
    async def run_before(pilot) -> None:
        _history(pilot.app.database)
        await pilot.app.workers.wait_for_complete()
        await _open_trends(pilot.app, pilot)

    return run_before


def test_trends_80x24(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_trends_snapshot((80, 24)))


def test_trends_120x36(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=_trends_snapshot((120, 36)))


def test_trends_200x50(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), terminal_size=(200, 50), run_before=_trends_snapshot((200, 50)))


def test_trends_no_color_80x24(snap_compare, make_app, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_trends_snapshot((80, 24)))
