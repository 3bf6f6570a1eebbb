"""Where the line-API widgets scroll to keep their cursor in view."""

from __future__ import annotations

import pytest

from plantui.io.sample import load_sample
from plantui.tui.widgets.action_table import ActionTable
from plantui.tui.widgets.line_cursor import scroll_target
from tests.tui.conftest import settle


@pytest.mark.parametrize(
    ("top", "line", "center", "expected"),
    [
        (0, 0, False, None),  # in view: stay
        (10, 19, True, None),  # the last line in view: stay, even when asked to centre
        (10, 20, False, 11),  # one below: just far enough
        (10, 9, False, 9),  # one above: that line on top
        (10, 50, True, 45),  # far below, centred
        (10, 3, True, 0),  # near the top: never above the first line
    ],
)
def test_scroll_target(top: int, line: int, center: bool, expected: int | None) -> None:
    assert scroll_target(top, 10, line, center=center) == expected


async def test_vim_keys_move_the_table_cursor(make_app):
    app = make_app(load_sample(), name="sample.db")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#table", ActionTable)
        await pilot.press("G")
        assert table.cursor == len(table.rows) - 1
        await pilot.press("home", "ctrl+d")
        half = table.cursor
        assert half == max(table.scrollable_content_region.height - 1, 1) // 2 > 1
        await pilot.press("ctrl+d", "ctrl+u")
        assert table.cursor == half
