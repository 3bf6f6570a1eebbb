"""The RAG editor: picking a status, commentary, the milestone with its parsed date; save and cancel."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from plantui.store import queries
from plantui.tui.dialogs.editor import EditorScreen, StatusPicker
from tests.tui.conftest import AUTHOR, SIZE, notices, screen_text, settle


async def open_editor(pilot, downs: int = 1) -> EditorScreen:
    await settle(pilot)
    await pilot.press(*["down"] * downs, "e")
    await settle(pilot)
    assert isinstance(pilot.app.screen, EditorScreen)
    return pilot.app.screen


async def test_save_writes_status_and_note_as_one_history_entry(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)  # 1.1.1.2, off track
        assert editor.row.ref == "1.1.1.2"
        assert editor.query_one(StatusPicker).picked == "off_track"
        await pilot.press("3")
        assert editor.query_one(StatusPicker).picked == "some_issues"
        await pilot.press("up", "down")  # the arrows move the pick too
        assert editor.query_one(StatusPicker).picked == "some_issues"
        await pilot.press("tab")
        assert isinstance(app.screen.focused, TextArea)
        await pilot.press(*"Two posts filled", "enter", *"[interim] cover")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, EditorScreen)
        [entry] = queries.action_history(app.database, "1.1.1.2")
        assert (entry.field, entry.old, entry.new) == ("status", "off_track", "some_issues")
        assert entry.note == "Two posts filled\n[interim] cover" and entry.author == AUTHOR
        saved = "1.1.1.2 saved: ✖ Off track -> ▲ Some issues with a note · u to undo"
        assert app.screen.query_one("#filter-status").render().plain.startswith(saved)
        app.screen.query_one("#detail").scroll_end(animate=False)
        await settle(pilot)
        text = screen_text(app)
        assert "[interim] cover" in text  # the detail pane's history shows the note literally
        assert "▲ Some issues" in text


async def test_escape_cancels_and_writes_nothing(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_editor(pilot)
        await pilot.press("1", "tab", *"not this", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, EditorScreen)
        assert queries.plan_history(app.database) == []
        assert queries.get_action(app.database, "1.1.1.2").status == "off_track"


async def test_milestone_shows_its_due_date_and_is_saved(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        box = editor.query_one("#editor-milestone", Input)
        box.value = "March 2023"
        await settle(pilot)
        assert "due 31 Mar 2023" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        action = queries.get_action(app.database, "1.1.1.2")
        assert action.milestone == "March 2023" and str(action.due) == "2023-03-31"
        assert action.baseline == "September 2022"
        table_row = app.screen.query_one("#table").current
        assert table_row.milestone == "March 2023" and table_row.slipped
        assert "slipped 6 mo" in screen_text(app)


async def test_at_80x24_every_field_and_the_milestone_check_fit_without_scrolling(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot)
        editor.query_one("#editor-milestone", Input).value = "March 2023"
        await settle(pilot)
        text = screen_text(app)
        wanted = ("Status (1-6 or arrows)", "6  ∞ BAU", "Commentary", "Milestone (e.g.", "due 31 Mar 2023")
        for shown in wanted:
            assert shown in text, shown
        assert editor.query_one("#editor-fields").max_scroll_y == 0


async def test_status_milestone_and_note_together(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        await pilot.press("2", "tab", *"agreed at board")
        editor.query_one("#editor-milestone", Input).value = "Ongoing"
        await pilot.press("ctrl+s")
        await settle(pilot)
        history = queries.action_history(app.database, "1.1.1.2")
        # One transaction, status first; each entry carries the commentary (as `plantui action set`).
        assert [(e.field, e.note) for e in history] == [
            ("milestone", "agreed at board"),
            ("status", "agreed at board"),
        ]
        assert queries.get_action(app.database, "1.1.1.2").due is None
        saved = "1.1.1.2 saved: ✖ Off track -> ● On track, milestone September 2022 -> Ongoing with a note"
        assert app.screen.query_one("#filter-status").render().plain.startswith(saved)


async def test_a_note_alone_is_recorded(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_editor(pilot)
        await pilot.press("tab", *"still waiting on HR", "ctrl+s")
        await settle(pilot)
        [entry] = queries.action_history(app.database, "1.1.1.2")
        assert (entry.field, entry.note) == ("note", "still waiting on HR")


async def test_an_unreadable_milestone_is_refused_with_the_reason(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        editor.query_one("#editor-milestone", Input).value = "when we can"
        await settle(pilot)
        assert "✖" in screen_text(app)
        await pilot.press("4", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)  # still open, nothing lost
        assert app.screen.focused is editor.query_one("#editor-milestone", Input)
        assert any("Not saved:" in notice for notice in notices(app))
        assert queries.plan_history(app.database) == []


async def test_nothing_changed_saves_nothing(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_editor(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, EditorScreen)
        assert queries.plan_history(app.database) == []
