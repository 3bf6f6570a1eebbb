"""The text editor (`E`): an action's title, success measures, detailed plan and leads, saved as one
change ("saved" only after the commit), refused on the dialog's own line when a field is bad, and
shown at once in the table, the detail pane and the search; Escape writes nothing."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from plantui.store import queries
from plantui.tui.dialogs.text_editor import TextEditorScreen
from tests.tui.conftest import AUTHOR, SIZE, notices, screen_text, settle, status_line

NAME = "Head of Service (Safeguarding) & QA / PSW, Jane"


async def open_text_editor(pilot, downs: int = 1) -> TextEditorScreen:
    await settle(pilot)
    await pilot.press(*["down"] * downs, "E")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TextEditorScreen)
    return pilot.app.screen


async def test_saving_writes_every_changed_text_as_one_step(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_text_editor(pilot)  # 1.1.1.2
        assert editor.row.ref == "1.1.1.2"
        title = editor.query_one("#text-editor-title", Input)
        assert app.screen.focused is title
        title.value = ""
        await pilot.press(*"Recruit a [bold]permanent[/] team")
        editor.query_one("#text-editor-plan", TextArea).text = "Advertise [roles]\nInterview & appoint"
        adding = editor.query_one("#text-editor-add-lead", Input)
        adding.focus()
        await pilot.press(*"head of q")
        await settle(pilot)
        await pilot.press("right", "enter")  # take the suggested lead of the plan, add it
        await pilot.press(*NAME)
        await pilot.press("enter")  # a lead new to the plan, as typed
        await settle(pilot)
        leads = editor.query_one("#text-editor-leads", TextArea).text
        assert leads == f"Assistant Director Safeguarding\nHead of Quality Assurance\n{NAME}"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, TextEditorScreen)
        history = queries.action_history(app.database, "1.1.1.2")
        assert [entry.field for entry in reversed(history)] == ["title", "detailed_plan", "leads"]
        assert all(entry.author == AUTHOR for entry in history)
        action = queries.get_action(app.database, "1.1.1.2")
        assert action.title == "Recruit a [bold]permanent[/] team"
        assert action.detailed_plan == "Advertise [roles]\nInterview & appoint"
        assert action.leads == ("Assistant Director Safeguarding", "Head of Quality Assurance", NAME)
        assert status_line(app).startswith("1.1.1.2 saved: title 'Recruit senior leaders' -> 'Recruit a ")
        text = screen_text(app)
        assert "Recruit a [bold]permanent[/] team" in text  # literally, in the table and the pane
        assert app.screen.query_one("#table").current.title == action.title
        # The search finds it by its new words at once.
        assert [found.ref for found in app.screen.search_index().search("permanent team")] == ["1.1.1.2"]

        await pilot.press("u")  # one save, one undo
        await settle(pilot)
        back = queries.get_action(app.database, "1.1.1.2")
        assert (back.title, back.detailed_plan, back.leads) == (
            "Recruit senior leaders",
            "",
            ("Assistant Director Safeguarding",),
        )
        assert app.screen.query_one("#table").current.title == "Recruit senior leaders"
        assert app.screen.search_index().search("permanent team") == []


async def test_an_empty_title_is_refused_on_the_dialog_and_nothing_is_written(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_text_editor(pilot)
        editor.query_one("#text-editor-title", Input).value = "   "
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is editor  # still open, to put right
        assert "✖ title: an action's title cannot be empty" in screen_text(app)
        editor.query_one("#text-editor-measures", TextArea).text = "bad \x1b[2J"
        editor.query_one("#text-editor-title", Input).value = "Fine"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "✖ success measures: holds a control character (U+001B)" in screen_text(app)
        assert queries.plan_history(app.database) == []


async def test_escape_cancels_and_writes_nothing(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_text_editor(pilot)
        editor.query_one("#text-editor-title", Input).value = "Not this"
        editor.query_one("#text-editor-plan", TextArea).focus()
        await pilot.press(*"nor this", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, TextEditorScreen)
        assert queries.plan_history(app.database) == []
        assert queries.get_action(app.database, "1.1.1.2").title == "Recruit senior leaders"


async def test_saving_with_nothing_changed_writes_nothing(make_app):
    app = make_app(markup=True)  # text full of brackets opens and closes unchanged
    async with app.run_test(size=SIZE) as pilot:
        await open_text_editor(pilot, downs=0)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, TextEditorScreen)
        assert queries.plan_history(app.database) == []


async def test_the_palette_opens_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"selected action's text")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TextEditorScreen)
        assert app.screen.row.ref == "1.1.1.1"


async def test_a_colleagues_change_meanwhile_is_told(make_app):
    from plantui.store.changes import TextChange, edit_text

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_text_editor(pilot)
        edit_text(app.database, "1.1.1.2", [TextChange("title", "Ben's title")], author="Ben")
        editor.query_one("#text-editor-title", Input).value = "Mine"
        await pilot.press("ctrl+s")
        await settle(pilot)
        told = " ".join(notices(app))
        assert "The title was \"Ben's title\", not 'Recruit senior leaders' as you saw it: Ben" in told
        assert queries.get_action(app.database, "1.1.1.2").title == "Mine"
