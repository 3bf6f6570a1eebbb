"""Each dialog keeps its own look whichever dialogs were opened before it: the shared `.dialog` rule
is written once (styles/app.tcss) and every other selector is scoped by its screen's type."""

from __future__ import annotations

from textual.containers import Vertical
from textual.widgets import Label

from plantui.tui.dialogs import ChangesSinceDialog, MeetingSetup
from tests.conftest import TODAY
from tests.tui.conftest import SIZE, settle


async def _setup_look(app, pilot) -> tuple[int, list[int]]:
    app.push_screen(MeetingSetup([], list(app.model.rows), TODAY))
    await pilot.pause()
    screen = app.screen
    box = screen.query_one(".dialog", Vertical)
    looks = (box.styles.width.value, [label.styles.margin.top for label in screen.query(Label)])
    app.pop_screen()
    await pilot.pause()
    return looks


async def test_the_meeting_setup_looks_the_same_after_the_changes_since_dialog(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        alone = await _setup_look(app, pilot)
        app.push_screen(ChangesSinceDialog(TODAY, None))
        await pilot.pause()
        assert app.screen.query_one(".dialog", Vertical).styles.width.value == 72
        app.pop_screen()
        await pilot.pause()
        after = await _setup_look(app, pilot)
    assert alone == after
    assert alone[0] == 90 and set(alone[1]) == {0}
