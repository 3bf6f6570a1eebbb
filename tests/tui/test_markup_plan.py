"""A plan whose every text field holds markup-like text is shown literally in every pane."""

from __future__ import annotations

from textual.widgets import Input

from plantui.tui.dialogs.editor import EditorScreen
from plantui.tui.screens.help import HelpScreen
from plantui.tui.widgets.plan_tree import PlanTree
from tests.tui.conftest import SIZE, screen_text, settle

MARKUP = "[bold]x[/] [link=y] ["


async def test_markup_is_shown_literally_everywhere(make_app):
    app = make_app(markup=True)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert f"Test Improvement Plan{MARKUP}" in text  # header
        assert f"Develop a workforce strategy{MARKUP}" in text  # detail pane title
        assert f"More staff trained{MARKUP}" in text  # success measures
        assert f"People Strategy{MARKUP}" in text  # detailed plan
        assert f"HR Lead{MARKUP}" in text  # leads
        tree = app.screen.query_one(PlanTree)
        tree.select_ref("1")
        await settle(pilot)
        assert f"✖1 ∞1 Improving Quality{MARKUP}" in screen_text(app)
        tree.select_ref("1.1.1")
        await settle(pilot)
        assert f"✖1 There is adequate capacity{MARKUP}" in screen_text(app)
        tree.select_ref("")
        await settle(pilot)
        # the table, the filter box and the status line
        await pilot.press("slash")
        app.screen.query_one("#filter", Input).value = "[bold] ["
        await pilot.press("enter")
        await settle(pilot)
        assert [r.ref for r in app.screen.query_one("#table").rows] == ["1.1.1.1"]
        assert "filter: [bold] [" in screen_text(app)
        assert "Develop a workforce s" in screen_text(app)
        # the tree, moved onto every node
        await pilot.press("escape", "shift+tab")
        for _ in range(8):
            await pilot.press("down")
        await pilot.press("home")
        await settle(pilot)
        # the editor heading and the milestone's refusal message with the typed brackets
        await pilot.press("tab", "home", "e")
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        assert f"Develop a workforce strategy{MARKUP}" in screen_text(app)
        app.screen.query_one("#editor-milestone", Input).value = "[red]soon[/"
        await settle(pilot)
        assert "[red]soon[/" in screen_text(app)
        await pilot.press("escape")
        # go-to with brackets: refused literally
        await pilot.press("g")
        app.screen.query_one(Input).value = "[1]"
        await pilot.press("enter")
        await settle(pilot)
        assert "'[1]' is not a ref" in screen_text(app)
        await pilot.press("escape")
        # help and the palette's lead names
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        names = [c.name for c in app.screen.palette_commands()]
        assert f"Filter by lead: HR Lead{MARKUP}" in names


async def test_control_characters_in_plan_text_are_made_visible(make_app):
    from tests.conftest import mini_plan

    doc = mini_plan()
    doc.themes[0].areas[0].objectives[0].actions[0].title = "Escape \x1b[31mred\x1b[0m here"
    app = make_app(doc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Escape \\x1b[31mred\\x1b[0m here" in text
        assert "\x1b" not in text
