"""The main screen driven through Pilot: scoping by the tree, status keys, undo, filters, go-to, help."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from plantui.domain.statuses import STATUSES
from plantui.store import queries
from plantui.tui.dialogs.goto import GoToScreen
from plantui.tui.plan_model import PLAN_SCOPE
from plantui.tui.screens.help import HelpScreen
from plantui.tui.screens.main import tree_width
from plantui.tui.widgets.action_table import ActionTable
from plantui.tui.widgets.plan_tree import PlanTree
from tests.tui.conftest import ALL_REFS, AUTHOR, SIZE, notices, screen_text, settle, shown, status_line


async def test_opens_on_the_whole_plan_with_header_and_totals(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert shown(app) == ALL_REFS
        text = screen_text(app)
        assert "Test Improvement Plan" in text
        assert "as at 1 Nov 2022" in text
        assert f"recording as {AUTHOR}" in text
        assert "7 actions" in text and "✖ 2 Off track" in text and "∞ 1 BAU" in text
        assert "BAU out of base" in text
        assert "7 of 7 actions" in text
        assert app.screen.focused is app.screen.query_one("#table")
        # The detail pane shows the first action and, once loaded, its (empty) history.
        assert "Develop a workforce strategy" in text
        app.screen.query_one("#detail").scroll_end(animate=False)
        await settle(pilot)
        assert "No changes recorded." in screen_text(app)


async def test_moving_in_the_tree_scopes_the_table(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("shift+tab")  # from the table back to the tree
        assert isinstance(app.screen.focused, PlanTree)
        await pilot.press("down")  # theme 1
        await settle(pilot)
        assert shown(app) == ALL_REFS[:5]
        await pilot.press("down", "down")  # 1.1, then 1.2
        await settle(pilot)
        assert shown(app) == ["1.2.1.1", "1.2.1.2"]
        assert "in 1.2 ▲1 ∞1 Practice Standards" in screen_text(app)
        await pilot.press("j", "j")  # theme 2, then area 2.1
        await settle(pilot)
        assert shown(app) == ["2.1.1.1", "2.1.1.2"]
        await pilot.press("enter")  # opens 2.1 to show its objective
        await pilot.press("down")
        await settle(pilot)
        assert app.screen.query_one(PlanTree).cursor_node.data == "2.1.1"
        assert shown(app) == ["2.1.1.1", "2.1.1.2"]


async def test_clicking_a_tree_node_scopes_the_table(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(PlanTree)
        line = tree.node_for("2").line
        await pilot.click(PlanTree, offset=(6, line + 1))  # +1 for the border
        await settle(pilot)
        assert shown(app) == ["2.1.1.1", "2.1.1.2"]


@pytest.mark.parametrize("status", STATUSES, ids=[s.code for s in STATUSES])
async def test_each_number_key_sets_the_status_at_once(make_app, status):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")  # 1.1.1.3, on track
        await settle(pilot)
        before = app.model.total
        await pilot.press(status.key)
        await settle(pilot)
        stored = queries.get_action(app.database, "1.1.1.3")
        assert stored.status == status.code
        table = app.screen.query_one("#table", ActionTable)
        assert table.current.ref == "1.1.1.3" and table.current.status == status.code
        if status.code == "on_track":
            assert status_line(app).startswith("1.1.1.3 is already ● On track  ·  7 of 7 actions")
            assert queries.action_history(app.database, "1.1.1.3") == []
            return
        assert app.model.total == before.moved("on_track", status.code)
        tree = app.screen.query_one(PlanTree)
        assert f"{status.symbol}{app.model.counts['1.1'][status.code]}" in tree.node_for("1.1").label.plain
        expected = f"1.1.1.3 saved: ● On track -> {status.symbol} {status.short} · u to undo"
        assert status_line(app).startswith(expected) and expected in screen_text(app)
        assert notices(app) == []  # no toast over the table as well
        [entry] = queries.action_history(app.database, "1.1.1.3")
        assert (entry.old, entry.new, entry.author) == ("on_track", status.code, AUTHOR)


async def test_tree_steps_after_a_status_change_show_the_new_status_everywhere(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "4")  # 1.1.1.3 on track -> off track
        await settle(pilot)
        tree = app.screen.query_one(PlanTree)
        for ref in (PLAN_SCOPE, "1", "1.1"):
            assert f"✖{app.model.counts[ref]['off_track']}" in tree.node_for(ref).label.plain
        await pilot.press("shift+tab")
        for key, scope in (("down", "1"), ("down", "1.1"), ("up", "1"), ("up", PLAN_SCOPE)):
            await pilot.press(key)
            await settle(pilot)
            assert tree.cursor_node.data == scope
            table = app.screen.query_one("#table", ActionTable)
            [row] = [r for r in table.rows if r.ref == "1.1.1.3"]
            assert row.status == "off_track", scope
        app.screen.set_filter("rag:red")
        await settle(pilot)
        assert "1.1.1.3" in shown(app)
        await pilot.press("down", "down")  # 1.1: the filter holds in the new scope
        await settle(pilot)
        assert shown(app) == ["1.1.1.2", "1.1.1.3"]


async def test_a_filter_change_and_a_change_elsewhere_reach_a_scope_already_visited(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("shift+tab", "down", "down")  # 1.1
        await settle(pilot)
        assert shown(app) == ALL_REFS[:3]
        app.screen.set_filter("rag:green")
        await settle(pilot)
        assert shown(app) == ["1.1.1.3"]
        await pilot.press("up", "down")  # away and back
        await settle(pilot)
        assert shown(app) == ["1.1.1.3"]
        app.screen.set_filter("")
        await settle(pilot)
        assert shown(app) == ALL_REFS[:3]
        await pilot.press("down")  # 1.2, then back to 1.1 after 1.1.1.1 changed under it
        from plantui.store.changes import Edit

        app.submit_change(Edit("1.1.1.1", status="bau"), lambda r: "")
        await settle(pilot)
        await pilot.press("up")
        await settle(pilot)
        table = app.screen.query_one("#table", ActionTable)
        assert (table.rows[0].ref, table.rows[0].status) == ("1.1.1.1", "bau")
        assert "in 1.1 " in status_line(app) and f"∞{app.model.counts['1.1']['bau']}" in status_line(app)


async def test_the_saved_notice_goes_after_a_while_and_the_status_line_stays(make_app, monkeypatch):
    from plantui.tui.screens import main

    monkeypatch.setattr(main, "NOTICE_SECONDS", 0.5)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")  # 1.1.1.1 is complete already
        await pilot.pause()
        assert status_line(app) == "1.1.1.1 is already ✔ Complete  ·  7 of 7 actions"
        await pilot.pause(1.0)
        assert status_line(app) == "7 of 7 actions"


async def test_the_saved_notice_gives_way_when_the_table_moves_to_another_node(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "2")  # 1.1.1.2 off track -> on track; then a tree step
        await settle(pilot)
        assert status_line(app).startswith("1.1.1.2 saved: ✖ Off track -> ● On track")
        await pilot.press("shift+tab", "down")
        await settle(pilot)
        assert status_line(app).startswith("5 of 7 actions  ·  in 1 ")  # where the table is now


async def test_undo_reverses_the_last_change_and_survives_a_restart(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "4")  # 1.1.1.3 on track -> off track
        await settle(pilot)
        await pilot.press("down", "1")  # 1.2.1.1 BAU -> complete
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert queries.get_action(app.database, "1.2.1.1").status == "bau"
        assert "Undone — 1.2.1.1: ✔ Complete -> ∞ BAU" in status_line(app)
        assert app.screen.query_one("#table", ActionTable).current.status == "bau"
    again = make_app()  # the same database, a new session
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert queries.get_action(again.database, "1.1.1.3").status == "on_track"
        assert again.model.row("1.1.1.3").status == "on_track"
        history = queries.plan_history(again.database)
        assert [(e.field, e.undoes_id is not None) for e in history] == [("status", True)] * 2 + [
            ("status", False)
        ] * 2


async def test_quick_keys_are_saved_in_the_order_pressed(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "4", "3", "2", "u")
        await settle(pilot)
        assert queries.get_action(app.database, "1.1.1.2").status == "some_issues"
        moves = [(e.old, e.new) for e in reversed(queries.action_history(app.database, "1.1.1.2"))]
        assert moves == [
            ("off_track", "some_issues"),
            ("some_issues", "on_track"),
            ("on_track", "some_issues"),
        ]


FILTERS = [
    ("rag:red", ["1.1.1.2", "2.1.1.2"]),
    ("rag:amber,blue", ["1.1.1.1", "1.2.1.2"]),
    ("recruit", ["1.1.1.2", "1.1.1.3"]),
    ("lead:quality", ["1.2.1.1", "1.2.1.2"]),
    ('lead:"head of service"', ["1.1.1.3"]),
    ("theme:2", ["2.1.1.1", "2.1.1.2"]),
    ("1.2", ["1.2.1.1", "1.2.1.2"]),
    ("due:overdue", ["1.1.1.2", "1.2.1.2"]),
    ("due:none", ["1.2.1.1", "2.1.1.2"]),
    ("due:2023-03", ["1.1.1.3"]),
    ("due:soon", []),
    ("rag:red theme:1", ["1.1.1.2"]),
    ("slipped", []),
]


async def test_every_filter_term(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for expression, refs in FILTERS:
            await pilot.press("slash")
            assert isinstance(app.screen.focused, Input)
            app.screen.query_one("#filter", Input).value = expression  # as typed, not a key per letter
            await pilot.press("enter")
            await settle(pilot)
            assert shown(app) == refs, expression
            text = screen_text(app)
            assert f"{len(refs)} of 7 actions" in text
            assert f"filter: {expression}" in text
            assert app.screen.focused is app.screen.query_one("#table")
            await pilot.press("escape")
            await settle(pilot)
            assert shown(app) == ALL_REFS


async def test_an_unreadable_filter_says_why_and_keeps_the_table(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"rag:re")
        await settle(pilot)
        assert "'re' is not a status" in screen_text(app)
        await pilot.press("d")  # rag:red reads
        await settle(pilot)
        assert shown(app) == ["1.1.1.2", "2.1.1.2"]
        await pilot.press("escape")
        await settle(pilot)
        assert shown(app) == ALL_REFS
        box = app.screen.query_one("#filter", Input)
        assert box.value == "" and not box.has_focus


async def test_slipped_after_moving_a_milestone(make_app):
    from plantui.store.changes import set_milestone

    app = make_app()
    set_milestone(app.database, "1.1.1.2", "March 2023", author=AUTHOR)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"slipped", "enter")
        await settle(pilot)
        assert shown(app) == ["1.1.1.2"]
        assert "slipped 6 mo" in screen_text(app)


async def test_go_to_ref_jumps_to_an_action_a_node_and_refuses_nothing(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"rag:blue", "enter")  # a filter that hides the target
        await settle(pilot)
        await pilot.press("g")
        assert isinstance(app.screen, GoToScreen)
        await pilot.press(*"1.2.1.2", "enter")
        await settle(pilot)
        table = app.screen.query_one("#table", ActionTable)
        assert table.current.ref == "1.2.1.2"
        assert app.screen.query_one(PlanTree).cursor_node.data == "1.2.1"
        assert "Filter cleared to show 1.2.1.2" in notices(app)
        await pilot.press("g", *"2", "enter")
        await settle(pilot)
        assert shown(app) == ["2.1.1.1", "2.1.1.2"]
        await pilot.press("g", *"9.9", "enter")
        await settle(pilot)
        assert isinstance(app.screen, GoToScreen)
        assert "9.9 names nothing in this plan" in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, GoToScreen)


async def test_help_lists_the_keys_of_the_focused_pane_and_the_app(make_app):
    app = make_app()
    key = "question_mark"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        body = app.screen.body.plain
        assert "Action table (where you are)" in body
        for s in STATUSES:
            assert f"Set the selected action's status: {s.symbol} {s.short}" in body
        for needed in (
            "Undo",
            "Filter",
            "Go to",
            "Edit",
            "Quit",
            "ctrl+p",
            "Next / previous pane",
            "lead:WORDS",
        ):
            assert needed in body
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("shift+tab", "f1")
        await settle(pilot)
        assert "Theme tree (where you are)" in app.screen.body.plain


async def test_table_sorts_by_key_and_header_click(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#table", ActionTable)
        table.sort_by("status")
        await settle(pilot)
        assert (
            shown(app)[0] == "1.1.1.2" and shown(app)[-1] == "1.1.1.1"
        )  # worst first: off track .. complete
        await pilot.click(ActionTable, offset=(2, 1))  # the Ref header (after the border)
        await settle(pilot)
        assert table.sort_column == "ref" and not table.sort_reverse
        await pilot.click(ActionTable, offset=(2, 1))
        await settle(pilot)
        assert table.sort_reverse and shown(app) == list(reversed(ALL_REFS))
        await pilot.press("s")
        assert table.sort_column == "title"


async def test_clicking_a_row_selects_it_and_a_double_click_edits(make_app):
    from plantui.tui.dialogs.editor import EditorScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click(ActionTable, offset=(4, 4))  # border, header, then rows 1.1.1.1, 1.1.1.2, 1.1.1.3
        await settle(pilot)
        assert app.screen.query_one("#table", ActionTable).current.ref == "1.1.1.3"
        assert "Recruit a participation officer" in screen_text(app)
        await pilot.double_click(ActionTable, offset=(4, 4))
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)


async def test_narrow_terminal_folds_the_tree_away_and_t_brings_it_back(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(PlanTree)
        assert not tree.display
        await pilot.press("t")
        await settle(pilot)
        assert tree.display and tree.has_focus
        await pilot.press("down", "down", "down")  # All, 1, 1.1, 1.2
        await settle(pilot)
        assert shown(app) == ["1.2.1.1", "1.2.1.2"]
        assert "? Help" in screen_text(app)


async def test_read_only_database_shows_a_banner_and_refuses_every_edit(make_app, tmp_path):
    make_app().database.close()  # create the plan, then open it read-only
    app = make_app(readonly=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "READ-ONLY" in screen_text(app)
        for key in ("4", "e", "u"):
            await pilot.press(key)
            await settle(pilot)
        assert all("Cannot save:" in n and "read-only" in n for n in notices(app))
        assert len(notices(app)) == 3
        assert queries.plan_history(app.database) == []
        assert app.model.row("1.1.1.1").status == "complete"


async def test_palette_offers_commands_by_name(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Filter by status: Off")
        await settle(pilot)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert shown(app) == ["1.1.1.2", "2.1.1.2"]
        names = [c.name for c in app.screen.palette_commands()]
        for wanted in (
            "Set status of selected: ✖ Off track",
            "Go to ref…",
            "Filter by lead: Head of Service",
            "Undo your last change",
            "Clear filter",
            "Switch light/dark theme",
            "Export the plan as JSON",
        ):
            assert wanted in names


async def test_export_writes_json_to_the_current_folder_and_names_it(make_app, tmp_path):
    import json

    app = make_app()
    app.export_folder = tmp_path
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_export()
        await settle(pilot)
        path = tmp_path / "plantui-plan-2022-11-01.json"
        assert json.loads(path.read_text())["plan"]["title"] == "Test Improvement Plan"
        assert f"Exported the plan as JSON to {path}" in notices(app)
        app.action_export()
        await settle(pilot)
        assert (tmp_path / "plantui-plan-2022-11-01-2.json").exists()


async def test_theme_switch_is_remembered(make_app):
    from plantui.io.settings import load_settings

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_toggle_theme()
        await settle(pilot)
        assert app.theme == "textual-light"
        assert load_settings()["theme"] == "textual-light"
        assert PLAN_SCOPE == ""


async def test_a_view_opened_read_only_says_why_and_saves_nothing(make_app):
    from plantui.tui.app import PlanApp

    writable = make_app()
    app = PlanApp(
        writable.database,
        today=writable.today,
        author=AUTHOR,
        read_only_reason="as at 2022-10-01",
        live_refresh_seconds=None,
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "READ-ONLY: as at 2022-10-01" in screen_text(app)
        await pilot.press("1")
        await settle(pilot)
        assert notices(app) == ["Cannot save: as at 2022-10-01. Nothing was changed."]
        assert queries.plan_history(app.database) == []


async def test_tree_counts_stay_whole_on_a_big_plan(make_app):
    from plantui.domain.document import ActionDoc, AreaDoc, ObjectiveDoc, PlanDocument, ThemeDoc
    from plantui.domain.statuses import STATUS_CODES

    actions = [
        ActionDoc(f"1.1.1.{i}", f"Action {i}", rag=STATUS_CODES[i % 6], milestone="March 2023")
        for i in range(1, 661)
    ]
    doc = PlanDocument(
        title="Big",
        organisation="C",
        phase="1",
        foreword="",
        themes=[ThemeDoc("1", "A theme", areas=[AreaDoc("1.1", "An area", objectives=[
            ObjectiveDoc("1.1.1", "An objective", actions=actions)])])],
    )  # fmt: skip
    app = make_app(doc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(PlanTree)
        room = tree.scrollable_content_region.width
        theme = tree.node_for("1").label.plain
        assert all(f"{s.symbol}110" in theme for s in STATUSES), theme
        assert len(theme) + 2 * tree.guide_depth <= room
        area = tree.node_for("1.1").label.plain  # deeper: no room for all six, and it shows
        assert len(area) + 3 * tree.guide_depth <= room and area.endswith("…")
        tree.select_ref("1.1")
        await settle(pilot)
        assert "in 1.1 ✔110 ●110 ▲110 ✖110 ○110 ∞110 An area" in screen_text(app)


@pytest.mark.parametrize(
    ("screen_width", "steps", "expected"),
    [
        (120, 0, 32),
        (160, 0, 40),
        (200, 0, 50),
        (300, 0, 64),
        (90, 0, 28),
        (120, 2, 40),
        (120, -5, 20),
        (120, 9, 60),
    ],
)
def test_the_tree_widens_with_the_screen_and_the_users_steps(screen_width, steps, expected):
    assert tree_width(screen_width, steps) == expected


@pytest.mark.parametrize("size", [(120, 36), (80, 24), (200, 50)])
async def test_every_title_in_view_shows_at_least_forty_characters(make_app, size):
    from plantui.io.sample import load_sample

    sample = load_sample()
    titles = {action.ref: action.title for action in sample.actions()}
    app = make_app(sample, name="sample.db")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        lines = screen_text(app).splitlines()
        seen = 0
        for ref in shown(app)[:8]:
            line = next(line for line in lines if f" {ref} " in line or f"▸{ref} " in line)
            title = titles[ref]
            assert title[: min(len(title), 35 if size[0] == 80 else 40)] in line, (ref, line)
            seen += 1
        assert seen == 8


async def test_greater_and_less_than_resize_the_tree(make_app):
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one("#tree")
        assert tree.outer_size.width == 40
        await pilot.press("greater_than_sign", "greater_than_sign")
        await settle(pilot)
        assert tree.outer_size.width == 48
        await pilot.press(*["less_than_sign"] * 10)
        await settle(pilot)
        assert tree.outer_size.width == 20  # never narrower than this
        await pilot.resize_terminal(200, 40)
        await settle(pilot)
        assert tree.outer_size.width == 30  # still five steps narrower than this width's 50


async def test_exclamation_mark_shows_the_whole_plans_exceptions_worst_first_and_back(make_app):
    from plantui.io.sample import load_sample

    app = make_app(load_sample(), name="sample.db")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("g", *"1.1", "enter")  # somewhere narrower first: ! looks at the whole plan
        await settle(pilot)
        await pilot.press("exclamation_mark")
        await settle(pilot)
        table = app.screen.query_one("#table", ActionTable)
        statuses = [row.status for row in table.rows]
        assert statuses[:2] == ["off_track", "off_track"]
        assert "complete" not in statuses and "bau" not in statuses
        title = str(table.border_title)
        assert title.startswith(f"Exceptions: {len(table.rows)} · 2 off track · ")
        assert "overdue" in title and "some issues" in title
        assert f"Exceptions: {len(table.rows)}" in screen_text(app)
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert len(table.rows) == 124 and table.border_title == "Actions"
        assert shown(app)[:3] == ["1.1.1.1", "1.1.1.2", "1.1.1.3"]  # plan order again


async def test_a_filter_narrowed_by_the_tree_says_what_it_left_out_and_a_widens_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", *"1.1", "enter")
        await settle(pilot)
        await pilot.press("slash", *"rag:red", "enter")
        await settle(pilot)
        assert shown(app) == ["1.1.1.2"]
        assert "1 of 7 actions  ·  1 more outside 1.1 (a: whole plan)" in screen_text(app)
        await pilot.press("a")
        await settle(pilot)
        assert shown(app) == ["1.1.1.2", "2.1.1.2"]
        assert "more outside" not in screen_text(app)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("theme:9", "filter term 'theme:9': the plan has nothing numbered 9"),
        ("-theme:1.9", "filter term 'theme:1.9': the plan has nothing numbered 1.9"),
        ("lead:nobody", "filter term 'lead:nobody': no lead's name contains 'nobody'"),
    ],
)
async def test_a_filter_naming_nothing_in_the_plan_is_an_error_not_an_empty_table(make_app, typed, said):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *typed)
        await settle(pilot)
        assert said in screen_text(app)


async def test_g_finds_actions_by_words_and_n_steps_through_the_matches(make_app):
    from plantui.io.sample import load_sample

    app = make_app(load_sample(), name="sample.db")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("g", *"recr part")
        await settle(pilot)
        assert "1.1.1.3  Recruit a Participation Officer." in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#table", ActionTable).current.ref == "1.1.1.3"
        await pilot.press("g", *"recruit", "down", "enter")  # the second match
        await settle(pilot)
        table = app.screen.query_one("#table", ActionTable)
        assert table.current.ref == "1.1.1.3"
        assert "match 2 of 8 for 'recruit'" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert table.current.ref == "1.1.1.4"
        await pilot.press("N", "N")
        await settle(pilot)
        assert table.current.ref == "1.1.1.2"
        assert "match 1 of 8" in screen_text(app)


async def test_the_palette_offers_actions_found_by_their_words(make_app):
    from plantui.io.sample import load_sample

    app = make_app(load_sample(), name="sample.db")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"principal social")
        await pilot.pause(0.5)
        await settle(pilot)
        assert "Go to 1.1.1.5  Recruit Principal Social Worker." in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#table", ActionTable).current.ref == "1.1.1.5"


async def test_the_filters_words_are_marked_in_the_titles_without_colour(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"officer", "enter", "down")  # the cursor off the first match
        await settle(pilot)
        table = app.screen.query_one("#table", ActionTable)
        row = next(i for i, r in enumerate(table.rows) if r.ref != table.current.ref)
        strip = table.render_line(row + 1)
        marked = [segment for segment in strip if segment.style and segment.style.underline]
        assert marked and all(segment.text.lower() == "officer" for segment in marked)


async def test_status_keys_on_the_tree_act_on_the_selected_action_or_say_why_not(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("shift+tab")  # to the tree
        await settle(pilot)
        assert isinstance(app.screen.focused, PlanTree)
        await pilot.press("3")
        await settle(pilot)
        assert app.model.row("1.1.1.1").status == "some_issues"  # the action the detail pane showed
        await pilot.press("slash", *"zzqx", "enter", "shift+tab", "4")
        await settle(pilot)
        assert "No action selected: the filter leaves no action here" in screen_text(app)


async def test_y_copies_the_selected_ref_and_title(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "y")
        await settle(pilot)
        row = app.screen.query_one("#table", ActionTable).current
        assert app.clipboard == f"{row.ref} {row.title}"
        assert f"Copied {row.ref}" in screen_text(app)


async def test_a_theme_picked_in_the_palette_is_remembered(make_app):
    from plantui.io.settings import load_settings

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "nord"  # what the palette's theme list does
        await settle(pilot)
        assert load_settings()["theme"] == "nord"
        from plantui.tui.app import PlanApp

        assert PlanApp(app.database, today=app.today, author="x", theme="nord").theme == "nord"


def test_the_header_names_the_organisation_where_it_fits_and_never_at_the_cost_of_who_records():
    from datetime import date

    from plantui.tui.widgets.plan_header import PlanHeader

    header = PlanHeader()
    title, day = "Children’s Improvement Plan", date(2022, 11, 1)
    header.set_plan(title, day, "Jo [Lead]", read_only=False, organisation="Sefton [Council]")
    wide = header.line(200).plain
    assert wide.startswith("Children’s Improvement Plan  ·  Sefton [Council]  ·  as at 1 Nov 2022")
    narrow = header.line(80).plain
    assert "Sefton" not in narrow and narrow.endswith("recording as Jo [Lead]")


async def test_w_wraps_titles_onto_two_lines_and_the_cursor_row_stays_whole_in_view(make_app):
    from plantui.io.sample import load_sample

    def table_lines() -> list[str]:
        return [table.render_line(y).text for y in range(table.size.height)]

    app = make_app(load_sample(), name="sample.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#table", ActionTable)
        first = table.rows[0]
        assert not any("Workforce Strategy" in line for line in table_lines())  # one line a row: cut
        await pilot.press("w")
        await settle(pilot)
        assert table.row_height == 2 and "Titles wrap onto two lines (w)" in notices(app)
        lines = table_lines()
        at = next(i for i, line in enumerate(lines) if first.ref in line)
        assert "Develop and agree" in lines[at] and "Workforce Strategy" in lines[at + 1]
        assert first.ref not in lines[at + 1]
        await pilot.press("G")
        await settle(pilot)
        assert table.current is table.rows[-1]
        assert table.scroll_y == table.max_scroll_y  # both of the last row's lines are in view
        assert f"▸{table.rows[-1].ref}" in table_lines()[-2]
        await pilot.press("home")
        await settle(pilot)
        # Inside the border and below the header: the second line of the second row, then of the first.
        await pilot.click(ActionTable, offset=(12, 5))
        await settle(pilot)
        assert table.current is table.rows[1]
        await pilot.click(ActionTable, offset=(12, 3))
        await settle(pilot)
        assert table.current is table.rows[0]
        await pilot.press("w")
        await settle(pilot)
        assert table.row_height == 1 and table.virtual_size.height == len(table.rows) + 1
