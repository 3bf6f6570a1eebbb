"""Undo, redo and the one change policy through the real workbench (Pilot): `u` takes back your own
newest save and asks (y/n) before overwriting a colleague's later change or reaching into an ended
meeting; `ctrl+y` and `U` redo; a new change clears redo; every screen's change goes through the one
write queue, is recorded in the open meeting, and is checked against what the screen showed."""

from __future__ import annotations

from textual.widgets import Input

from plantui.store import queries
from plantui.store.changes import set_status
from plantui.store.meetings import end_meeting, start_meeting
from plantui.tui.app import PlanApp
from plantui.tui.dialogs.confirm import ConfirmDialog
from plantui.tui.dialogs.editor import EditorScreen
from plantui.tui.screens.meeting import MeetingScreen
from tests.conftest import TODAY
from tests.tui.conftest import AUTHOR, SIZE, screen_text, settle, titled_notices


def status_line(app) -> str:
    return app.screen.query_one("#filter-status").render().plain


async def test_u_asks_before_undoing_over_a_colleagues_later_change(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")  # 1.1.1.1: complete -> off track
        await settle(pilot)
        set_status(app.database, "1.1.1.1", "on_track", author="Ben")  # Ben decides otherwise
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        text = screen_text(app)
        assert "Ben changed the status of 1.1.1.1 from ✖ Off track to ● On track at " in text
        assert "Undo it anyway?" in text
        await pilot.press("n")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert queries.get_action(app.database, "1.1.1.1").status == "on_track"  # Ben's stands
        assert len(queries.plan_history(app.database)) == 2
        assert ("", "Nothing was undone.") in titled_notices(app)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert queries.get_action(app.database, "1.1.1.1").status == "complete"
        assert app.model.row("1.1.1.1").status == "complete"
        assert status_line(app).startswith("Undone — 1.1.1.1: ● On track -> ✔ Complete")


async def test_one_editor_save_is_one_undo_and_redo_brings_it_back(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "e")  # 1.1.1.3, on track, March 2023
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("3", "tab", *"Agency cover")
        app.screen.query_one("#editor-milestone", Input).value = "June 2023"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [e.field for e in queries.action_history(app.database, "1.1.1.3")] == ["milestone", "status"]
        await pilot.press("u")  # once
        await settle(pilot)
        row = queries.get_action(app.database, "1.1.1.3")
        assert (row.status, row.milestone, row.last_note) == ("on_track", "March 2023", "")
        line = status_line(app)
        assert line.startswith(
            "Undone — 1.1.1.3: milestone June 2023 -> March 2023, ▲ Some issues -> ● On track"
        )
        await pilot.press("ctrl+y")
        await settle(pilot)
        row = queries.get_action(app.database, "1.1.1.3")
        assert (row.status, row.milestone, row.last_note) == ("some_issues", "June 2023", "Agency cover")
        assert status_line(app).startswith("Redone — 1.1.1.3: ● On track -> ▲ Some issues")
        assert app.model.row("1.1.1.3").status == "some_issues"
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("U")  # the other redo key
        await settle(pilot)
        assert queries.get_action(app.database, "1.1.1.3").milestone == "June 2023"
        assert len(queries.plan_history(app.database)) == 10  # nothing is ever deleted


async def test_a_new_change_clears_redo(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4", "u")  # 1.1.1.1 off track, undone
        await settle(pilot)
        await pilot.press("down", "2")  # 1.1.1.2 off track -> on track: a new change
        await settle(pilot)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert queries.get_action(app.database, "1.1.1.1").status == "complete"
        assert any(f"{AUTHOR} has nothing to redo" in message for _, message in titled_notices(app))
        assert not any(message.startswith("Not saved") for _, message in titled_notices(app))


async def test_a_change_while_a_meeting_is_open_is_recorded_in_it_and_undo_after_it_ended_asks(make_app):
    app = make_app()
    meeting = start_meeting(app.database, "October Board", "plan", author="Chair")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "MEETING OPEN: October Board" in screen_text(app)
        await pilot.press("4")
        await settle(pilot)
        [entry] = queries.action_history(app.database, "1.1.1.1")
        assert entry.meeting_id == meeting.id and entry.author == AUTHOR
        end_meeting(app.database)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog), titled_notices(app)
        assert "made in the board meeting 'October Board', which ended at " in app.screen.reason
        await pilot.press("escape")
        await settle(pilot)
        assert queries.get_action(app.database, "1.1.1.1").status == "off_track"


async def test_the_editor_reports_a_change_made_since_it_opened(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "e")  # 1.1.1.2, off track
        await settle(pilot)
        set_status(app.database, "1.1.1.2", "some_issues", author="Ben")
        await pilot.press("2", "ctrl+s")
        await settle(pilot)
        warned = [message for title, message in titled_notices(app) if title == "Someone changed it first"]
        assert len(warned) == 1 and "Ben changed it at " in warned[0]
        assert "not ✖ Off track as you saw it" in warned[0]
        assert queries.get_action(app.database, "1.1.1.2").status == "on_track"


async def test_the_meeting_screen_uses_the_one_queue_and_reports_a_change_made_since(database):
    meeting = start_meeting(database, "Board", "plan", author="Ann")

    class Room(PlanApp):
        def on_mount(self) -> None:
            super().on_mount()
            rows = queries.list_actions(self.database)
            self.push_screen(MeetingScreen(self.database, rows, meeting, "Ann", TODAY))

    app = Room(database, today=TODAY, author="Ann", live_refresh_seconds=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        set_status(database, "1.1.1.1", "on_track", author="Ben")  # the card still says complete
        await pilot.press("4")
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen)
        warned = [message for title, message in titled_notices(app) if title == "Someone changed it first"]
        assert len(warned) == 1 and "Ben changed it at " in warned[0]
        assert app.screen.query_one("#meeting-saved").render().plain.startswith("✔ saved  1.1.1.1")
        entry = queries.action_history(database, "1.1.1.1")[0]
        assert (entry.author, entry.new, entry.meeting_id) == ("Ann", "off_track", meeting.id)
        assert app.model.row("1.1.1.1").status == "off_track"  # the workbench's model took it too
        await pilot.press("u")
        await settle(pilot)
        assert queries.get_action(database, "1.1.1.1").status == "on_track"


async def test_a_meeting_started_and_ended_elsewhere_shows_in_the_header(database, db_target: str) -> None:
    import asyncio

    from plantui.store.opening import open_database
    from plantui.tui.widgets.plan_header import PlanHeader

    async def header_says(pilot, words: str, present: bool) -> bool:
        for _ in range(200):
            text = app.screen.query_one(PlanHeader).render().plain
            if (words in text) == present:
                return True
            await asyncio.sleep(0.05)
            await pilot.pause()
        return False

    app = PlanApp(database, today=TODAY, author=AUTHOR, live_refresh_seconds=0.1)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        other = open_database(db_target)  # another window or a CLI call
        try:
            start_meeting(other, "Shadow Board", "plan", author="Chair")
            set_status(other, "1.1.1.3", "off_track", author="Chair")
            assert await header_says(pilot, "MEETING OPEN: Shadow Board", True)
            end_meeting(other)
            set_status(other, "1.1.1.3", "on_track", author="Chair")
            assert await header_says(pilot, "MEETING OPEN", False)
        finally:
            other.close()
        app.workers.cancel_all()
        await settle(pilot)
