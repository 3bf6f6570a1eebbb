"""The board's views are reachable from the main screen: meeting mode, findings, changes since, the
plan as at a day, and the board report, by key and by the command palette."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from plantui.store import queries
from plantui.store.changes import set_status
from plantui.store.meetings import list_meetings
from plantui.tui.dialogs.changes_since import ChangesSinceDialog
from plantui.tui.dialogs.meeting_setup import MeetingSetup
from plantui.tui.screens.changes import ChangesScreen
from plantui.tui.screens.findings import FindingsScreen
from plantui.tui.screens.main import MainScreen
from plantui.tui.screens.meeting import MeetingScreen
from plantui.tui.widgets.action_table import ActionTable
from tests.tui.conftest import SIZE, screen_text, settle


def shown(app) -> list[str]:
    return [row.ref for row in app.screen.query_one("#table", ActionTable).rows]


async def test_meeting_mode_from_the_main_screen_records_changes_in_the_meeting(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        assert isinstance(app.screen, MeetingSetup)
        await pilot.press(*"November board", "tab", "enter")  # a title, then the first scope: the plan
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen)
        first = app.screen.rows[0].ref
        await pilot.press("4")
        await settle(pilot)
        [meeting] = list_meetings(app.database)
        assert meeting.ended_at is None
        [entry] = queries.action_history(app.database, first)
        assert entry.meeting_id == meeting.id and entry.new == "off_track"


async def test_help_in_a_meeting_names_the_card_and_lists_every_status_key(make_app) -> None:
    from plantui.domain.statuses import STATUSES
    from plantui.tui.screens.help import HelpScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        body = app.screen.body.plain
        assert "Action card (where you are)" in body
        assert "VerticalScroll" not in body and "Scroll" not in body.split("On this screen")[1]
        for s in STATUSES:
            assert f"  {s.key}  " in body
            assert f"Set the selected action's status: {s.symbol} {s.short}" in body


async def test_the_meeting_footer_fits_80_columns_and_widens_again(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen)
        footer = screen_text(app).splitlines()[-1]
        keys = ("1-6 Status", "n Note", "e Milestone", "x End", "j Next", "u Undo", "esc Leave", "? Help")
        for key in keys:
            assert key in footer, footer
        await pilot.resize_terminal(120, 36)
        await settle(pilot)
        assert " x End  j Next " in screen_text(app).splitlines()[-1]  # room again: spaced as usual


async def test_findings_view_filters_the_table_to_what_a_finding_cites(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        assert isinstance(app.screen, FindingsScreen)
        await pilot.press("enter")  # the first finding cites 1.1.1 and 2.1
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert shown(app) == ["1.1.1.1", "1.1.1.2", "1.1.1.3", "2.1.1.1", "2.1.1.2"]


async def test_changes_since_lists_what_moved(make_app) -> None:
    app = make_app()
    set_status(app.database, "1.1.1.3", "off_track", author="Colleague", at=datetime(2022, 10, 20, 10))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        assert isinstance(app.screen, ChangesSinceDialog)
        app.screen.dismiss("2022-10-01")
        await settle(pilot)
        assert isinstance(app.screen, ChangesScreen)
        assert [e.action_ref for e in app.screen.entries] == ["1.1.1.3"]


async def test_as_at_view_is_read_only_and_shows_the_plan_then(make_app) -> None:
    app = make_app()
    set_status(app.database, "1.1.1.3", "off_track", author="Colleague", at=datetime(2022, 10, 20, 10))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.model.row("1.1.1.3").status == "off_track"
        app.show_as_at(date(2022, 10, 1))
        await settle(pilot)
        assert app.read_only and app.model.row("1.1.1.3").status == "on_track"
        await pilot.press("2")
        await settle(pilot)
        assert len(queries.action_history(app.database, "1.1.1.3")) == 1  # nothing saved
        app.show_now()
        await settle(pilot)
        assert not app.read_only and app.model.row("1.1.1.3").status == "off_track"


async def test_board_report_from_the_workbench(make_app, tmp_path: Path) -> None:
    from plantui.tui.dialogs.report import ReportChoice, write_board_report

    app = make_app()
    choice = ReportChoice("html", None, tmp_path / "board.html")
    path = write_board_report(app.database, choice, date(2022, 11, 1))
    assert "<html" in path.read_text(encoding="utf-8").lower()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = [c.name for c in app.screen.palette_commands()]
        for wanted in ("Board meeting", "Inspection findings", "Changes since…", "Board report…",
                       "Plan as at a date…", "Milestone calendar", "Export to Excel (.xlsx)"):  # fmt: skip
            assert wanted in names


async def test_a_opens_the_as_at_dialog_and_the_palette_finds_the_way_back_by_today_now_or_live(make_app):
    from textual.command import CommandPalette

    from plantui.tui.dialogs.as_at import AsAtDialog

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, AsAtDialog)
        await pilot.press("escape")
        app.show_as_at(date(2022, 10, 1))
        await settle(pilot)
        for word in ("today", "now", "live"):
            await pilot.press("ctrl+p", *word)
            await pilot.pause(0.4)
            await settle(pilot)
            assert isinstance(app.screen, CommandPalette)
            assert "Back to today: the plan as it is now (live)" in screen_text(app), word
            await pilot.press("escape")
            await settle(pilot)
