"""The theme tree on its own: opening, closing, moving, and what it shows after a change."""

from __future__ import annotations

from plantui.tui.plan_model import PLAN_SCOPE
from plantui.tui.widgets.plan_tree import PlanTree
from tests.tui.conftest import SIZE, screen_text, settle


def lines(tree: PlanTree) -> list[str]:
    return [node.ref for node in tree._shown]


async def test_themes_open_areas_closed_and_the_arrows_open_close_and_climb(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(PlanTree)
        assert lines(tree) == [PLAN_SCOPE, "1", "1.1", "1.2", "2", "2.1"]
        await pilot.press("shift+tab", "down", "down", "right")  # open 1.1
        assert lines(tree) == [PLAN_SCOPE, "1", "1.1", "1.1.1", "1.2", "2", "2.1"]
        await pilot.press("down", "left")  # on objective 1.1.1, left climbs to 1.1
        assert tree.cursor_node.ref == "1.1"
        await pilot.press("left")  # and closes it
        assert lines(tree) == [PLAN_SCOPE, "1", "1.1", "1.2", "2", "2.1"]
        await pilot.press("up", "space")  # theme 1 closes with its areas
        assert lines(tree) == [PLAN_SCOPE, "1", "2", "2.1"] and tree.cursor_node.ref == "1"
        await pilot.press("end")
        assert tree.cursor_node.ref == "2.1"
        await pilot.press("home")
        assert tree.cursor_node.ref == PLAN_SCOPE
        await settle(pilot)
        assert f"├ ▶ {tree.node_for('1').label.plain}" in screen_text(app)  # closed, and drawn so


async def test_select_ref_opens_the_way_and_a_change_redraws_the_counts_on_its_path(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(PlanTree)
        assert tree.select_ref("1.1.1")
        await settle(pilot)
        assert tree.cursor_node.ref == "1.1.1" and "1.1.1" in lines(tree)
        await pilot.press("tab")  # to the table, scoped to 1.1.1
        await pilot.press("6")  # 1.1.1.1 complete -> BAU
        await settle(pilot)
        text = screen_text(app)
        for ref in (PLAN_SCOPE, "1", "1.1", "1.1.1"):
            label = tree.node_for(ref).label.plain
            assert f"∞{app.model.counts[ref]['bau']}" in label
            assert label in text, ref  # drawn, not only worked out
        assert not tree.select_ref("9.9")
