"""Acting on several actions in the real workbench (Pilot): `space` marks a row and moves down, `V`
marks a range, the status keys and the milestone editor then act on every marked row as one step
(one `u` takes it all back), Escape clears the marks before the filter, a filter can hide marked
rows without unmarking them, and the as-at view refuses marking as it refuses changes."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input

from plantui.store import queries
from plantui.tui.dialogs.several_milestone import SeveralMilestoneDialog
from plantui.tui.widgets.action_table import ActionTable
from tests.tui.conftest import SIZE, notices, screen_text, settle, shown, status_line

TOP_THREE = ("1.1.1.1", "1.1.1.2", "1.1.1.3")  # complete, off track, on track


def table(app) -> ActionTable:
    return app.screen.query_one("#table", ActionTable)


def stored(app, refs=TOP_THREE) -> list[str]:
    return [queries.get_action(app.database, ref).status for ref in refs]


async def test_space_marks_and_a_status_key_sets_every_marked_row_as_one_undo_step(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "space")
        await settle(pilot)
        assert table(app).current.ref == "1.2.1.1"  # each space moved down
        assert str(table(app).border_title).startswith("Actions · 3 marked")
        text = screen_text(app)
        assert "◆1.1.1.1" in text and "◆1.1.1.3" in text and "▸1.2.1.1" in text
        await pilot.press("3")
        await settle(pilot)
        assert stored(app) == ["some_issues"] * 3
        assert [app.model.row(ref).status for ref in TOP_THREE] == ["some_issues"] * 3
        assert status_line(app).startswith("Saved: 3 actions set to ▲ Some issues · u to undo")
        assert table(app).marked == frozenset() and "marked" not in str(table(app).border_title)
        assert "▲ Some issues" in screen_text(app).splitlines()[8]  # the rows repainted
        await pilot.press("u")
        await settle(pilot)
        assert stored(app) == ["complete", "off_track", "on_track"]
        assert [app.model.row(ref).status for ref in TOP_THREE] == ["complete", "off_track", "on_track"]
        assert status_line(app).startswith("Undone — 3 actions (1.1.1.1, 1.1.1.2, 1.1.1.3)")


async def test_space_on_a_marked_row_unmarks_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "up", "space")
        await settle(pilot)
        assert table(app).marked == frozenset()
        assert "marked" not in str(table(app).border_title)


async def test_v_marks_a_range_and_the_count_says_what_already_was(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("V")
        await settle(pilot)
        assert "Range from 1.1.1.1" in status_line(app)
        await pilot.press("down", "down")
        await settle(pilot)
        assert len(table(app).marked) == 3  # drawn as it extends
        await pilot.press("V")
        await settle(pilot)
        assert str(table(app).border_title).startswith("Actions · 3 marked")
        await pilot.press("4")
        await settle(pilot)
        assert stored(app) == ["off_track"] * 3
        assert status_line(app).startswith("Saved: 2 actions set to ✖ Off track; 1 already was")
        history = queries.plan_history(app.database)
        assert len(history) == 2  # 1.1.1.2 was off track already: no row for it


async def test_escape_clears_the_marks_first_then_the_filter(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Recruit", "enter")
        await settle(pilot)
        assert shown(app) == ["1.1.1.2", "1.1.1.3"]
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert table(app).marked == frozenset() and shown(app) == ["1.1.1.2", "1.1.1.3"]
        await pilot.press("escape")
        await settle(pilot)
        assert len(shown(app)) == 7


async def test_marks_survive_a_filter_that_hides_them_and_the_title_says_so(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "down", "space")  # 1.1.1.1 and 1.1.1.3
        await settle(pilot)
        await pilot.press("slash", *"rag:red", "enter")
        await settle(pilot)
        assert shown(app) == ["1.1.1.2", "2.1.1.2"]
        assert "2 marked (2 hidden by the filter)" in str(table(app).border_title)
        await pilot.press("space")  # 1.1.1.2 joins them
        await settle(pilot)
        assert "3 marked (2 hidden by the filter)" in str(table(app).border_title)
        await pilot.press("slash", "ctrl+u", "enter")  # the filter emptied
        await settle(pilot)
        assert str(table(app).border_title).startswith("Actions · 3 marked ·")
        assert "hidden" not in str(table(app).border_title)


async def test_the_milestone_editor_moves_every_marked_row(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "space", "space")  # 1.1.1.2 and 1.1.1.3
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, SeveralMilestoneDialog)
        text = screen_text(app)
        assert "of the 2 marked actions" in text and "September 2022, March 2023" in text
        app.screen.query_one("#milestone-label", Input).value = "June 2023"
        await settle(pilot)
        await pilot.press("tab", *"Recruitment pause", "enter")
        await settle(pilot)
        assert [queries.get_action(app.database, r).milestone for r in TOP_THREE[1:]] == ["June 2023"] * 2
        assert status_line(app).startswith("Saved: 2 actions moved to milestone June 2023 · u to undo")
        assert {e.note for e in queries.plan_history(app.database)} == {"Recruitment pause"}
        await pilot.press("u")
        await settle(pilot)
        back = [queries.get_action(app.database, r).milestone.split() for r in TOP_THREE[1:]]
        assert back == [["September", "2022"], ["March", "2023"]]


async def test_the_as_at_view_refuses_marking(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.show_as_at(date(2022, 10, 1))
        await settle(pilot)
        await pilot.press("space", "V")
        await settle(pilot)
        assert table(app).marked == frozenset()
        assert any(message.startswith("Cannot save") for message in notices(app))


async def test_many_values_changed_since_the_rows_were_marked_are_told_in_one_notice(make_app):
    from plantui.store.changes import set_several

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "space", "space")  # 1.1.1.1 to 1.2.1.1
        await settle(pilot)
        refs = ("1.1.1.1", "1.1.1.2", "1.1.1.3", "1.2.1.1")
        set_several(app.database, refs, code="not_started", author="Ben")  # after they were marked
        await pilot.press("4")
        await settle(pilot)
        assert stored(app, refs) == ["off_track"] * 4
        told = [message for message in notices(app) if "since you looked" in message]
        assert told == [
            "4 values you changed had been changed by someone since you looked; the history has both"
        ]


async def test_a_colleagues_change_of_several_actions_arrives_as_one_notice(database, db_target: str):
    import asyncio

    from plantui.store.changes import set_several
    from plantui.store.opening import open_database
    from plantui.tui.app import PlanApp
    from tests.conftest import TODAY
    from tests.tui.conftest import AUTHOR

    app = PlanApp(database, today=TODAY, author=AUTHOR, live_refresh_seconds=0.1)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):
            if app.model is not None:
                break
            await asyncio.sleep(0.05)
            await pilot.pause()
        other = open_database(db_target)
        try:
            set_several(other, [*TOP_THREE, "1.2.1.1"], code="some_issues", author="Colleague")
        finally:
            other.close()
        for _ in range(200):
            if app.model.row("1.2.1.1").status == "some_issues":
                break
            await asyncio.sleep(0.05)
            await pilot.pause()
        await pilot.pause()
        assert [app.model.row(ref).status for ref in TOP_THREE] == ["some_issues"] * 3
        elsewhere = [m for m in notices(app) if m.startswith("Colleague")]
        assert elsewhere == ["Colleague · 4 changes to 4 actions"]
        app.workers.cancel_all()
        await settle(pilot)
