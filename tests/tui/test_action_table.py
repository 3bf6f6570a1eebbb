"""The line-API action table on its own: drawing only what is in view, one-line updates, cursor, sort."""

from __future__ import annotations

from datetime import date

import pytest
from textual.app import App, ComposeResult

from plantui.domain.statuses import STATUS_CODES
from plantui.domain.views import ActionRow
from plantui.tui.widgets.action_table import (
    ACTION_COLUMNS,
    ACTION_LAYOUTS,
    ActionTable,
    due_with_milestone,
    layout_columns,
)
from tests.conftest import TODAY


def make_rows(n: int) -> list[ActionRow]:
    rows = []
    for i in range(n):
        ref = f"{i // 1000 + 1}.{i // 100 % 10 + 1}.{i // 10 % 10 + 1}.{i % 10 + 1}"
        rows.append(
            ActionRow(
                id=i + 1, ref=ref, title=f"Action number {i} [x]", leads=(f"Lead {i % 7}",),
                status=STATUS_CODES[i % 6], milestone="March 2023", due=date(2023, 3, 31), baseline="",
                baseline_due=None, detailed_plan="", success_measures="", updated_at=None, last_note="",
                objective_ref=ref.rsplit(".", 1)[0], area_ref=ref.rsplit(".", 2)[0],
                theme_ref=ref.split(".")[0],
            )
        )  # fmt: skip
    return rows


class TableApp(App[None]):
    def __init__(self, rows: list[ActionRow]) -> None:
        super().__init__()
        self.rows = rows
        self.moves: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield ActionTable(today=TODAY)

    def on_mount(self) -> None:
        table = self.query_one(ActionTable)
        table.set_rows(self.rows)
        table.focus()

    def on_action_table_cursor_moved(self, event: ActionTable.CursorMoved) -> None:
        self.moves.append(event.row.ref if event.row else None)


async def test_draws_only_the_rows_in_view_and_redraws_one_changed_row():
    app = TableApp(make_rows(5000))
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(ActionTable)
        assert len(table._lines) <= 19  # 20 lines less the header: never 5,000
        cached = dict(table._lines)
        changed = table.rows[3]._replace(status="off_track", title="Now off track")
        assert table.update_row(changed)
        await pilot.pause()
        assert table.rows[3].title == "Now off track"
        for key, strip in table._lines.items():
            if key[0] != changed.id:
                assert cached.get(key) is strip  # every other line was kept, not drawn again
        assert "Now off track" in table._lines[(changed.id, False, 0)].text


async def test_cursor_keys_scroll_and_report_moves():
    app = TableApp(make_rows(500))
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(ActionTable)
        await pilot.press("j", "j", "k")
        assert table.current.ref == table.rows[1].ref
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor == 499 and round(table.scroll_y) == 500 - 19
        await pilot.press("home", "pagedown")
        assert table.cursor == 19
        assert app.moves[0] == table.rows[0].ref and app.moves[-1] == table.rows[19].ref


async def test_set_rows_keeps_the_cursor_on_the_same_action():
    rows = make_rows(300)
    app = TableApp(rows)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(ActionTable)
        table.select_id(rows[150].id)
        table.set_rows([r for r in rows if r.status == rows[150].status])
        assert table.current.id == rows[150].id
        table.set_rows([])
        await pilot.pause()
        assert table.current is None and app.moves[-1] is None


async def test_sorting_by_each_column_and_back_to_plan_order():
    rows = make_rows(60)
    app = TableApp(rows)
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(ActionTable)
        for column in ACTION_COLUMNS:
            table.sort_by(column.key)
            keys = [column.sort(r, TODAY) for r in table.rows]
            assert keys == sorted(keys), column.key
            table.sort_by(column.key, reverse=True)
            assert [column.sort(r, TODAY) for r in table.rows] == sorted(keys, reverse=True)
            table.sort_by(None)
            assert [r.id for r in table.rows] == [r.id for r in rows]


@pytest.mark.parametrize("width", [190, 168, 148, 146, 120, 118, 100, 88, 87, 78, 60, 50])
def test_columns_fill_the_width_and_keep_ref_title_status_and_due(width):
    layout = layout_columns(ACTION_LAYOUTS, width)
    keys = [c.key for c, _ in layout]
    assert {"ref", "title", "status", "due"} <= set(keys)
    assert 1 + sum(w + 1 for _, w in layout) == width


@pytest.mark.parametrize(
    ("width", "keys", "title_at_least"),
    [
        # 200 columns beside a widened tree: every column, and the title still the widest.
        (168, ["ref", "title", "leads", "status", "milestone", "due", "updated"], 56),
        # Updated goes first, and only to keep the title at 56.
        (146, ["ref", "title", "leads", "status", "milestone", "due"], 50),
        # 120 columns with the tree folded away: Milestone folds into Due, Lead(s) stays.
        (118, ["ref", "title", "leads", "status", "due"], 40),
        # 120 columns beside the tree, and 80 columns: Lead(s) goes before the title drops under 40.
        (88, ["ref", "title", "status", "due"], 41),
        (84, ["ref", "title", "status", "due"], 41),
        (78, ["ref", "title", "status", "due"], 36),
    ],
)
def test_the_title_gets_the_width_other_columns_give_way(width, keys, title_at_least):
    layout = {c.key: w for c, w in layout_columns(ACTION_LAYOUTS, width)}
    assert list(layout) == keys
    assert layout["title"] >= title_at_least
    assert layout["title"] == max(layout.values())


def test_squeezed_beside_the_tree_the_status_keeps_its_symbol():
    layout = {c.key: w for c, w in layout_columns(ACTION_LAYOUTS, 50)}  # 80 columns, tree open
    assert list(layout) == ["ref", "title", "status", "due"]
    assert layout["status"] == 3 and layout["title"] >= 19
    status = next(c for c, _w in layout_columns(ACTION_LAYOUTS, 50) if c.key == "status")
    assert status.cell(make_rows(3)[2], TODAY).plain == "▲"


def test_a_narrow_table_shows_milestone_and_due_state_in_one_cell():
    row = make_rows(1)[0]._replace(status="on_track", milestone="February  2022", due=date(2022, 2, 28))
    assert due_with_milestone(row, TODAY).plain == "⚠ overdue Feb 2022"
    assert due_with_milestone(row._replace(due=date(2022, 11, 30)), TODAY).plain == "◷ soon Nov 2022"
    assert due_with_milestone(row._replace(status="complete"), TODAY).plain == "✔ Feb 2022"
    ongoing = row._replace(milestone="Ongoing", due=None)
    assert due_with_milestone(ongoing, TODAY).plain == "↻ Ongoing"
    slipped = row._replace(due=date(2023, 3, 31), baseline="December 2022", baseline_due=date(2022, 12, 31))
    assert due_with_milestone(slipped, TODAY).plain == "· Mar 2023 · slipped 3 months"
    hostile = row._replace(milestone="[red]x\x1b[2J", due=None, status="not_started")
    assert "\x1b" not in due_with_milestone(hostile, TODAY).plain
    assert "[red]x" in due_with_milestone(hostile, TODAY).plain


async def test_status_cells_carry_their_colour_beside_the_words():
    rows = [row._replace(status="off_track") for row in make_rows(2)]
    app = TableApp(rows)
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(ActionTable)
        strip = table.render_line(2)  # the second row: off the cursor
        status = [s for s in strip if "Off track" in s.text]
        assert status and status[0].style.color is not None
        assert status[0].style.color.triplet.hex == "#ef4444"


async def test_sorting_by_status_puts_the_worst_first():
    app = TableApp(make_rows(12))
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(ActionTable)
        table.sort_by("status")
        order = list(dict.fromkeys(row.status for row in table.rows))
        assert order == ["off_track", "some_issues", "not_started", "on_track", "bau", "complete"]


def _due_width(table: ActionTable) -> int:
    return dict((column.key, width) for column, width in table._columns_for(table._width()))["due"]


async def test_the_due_column_is_as_wide_as_its_slips_and_gives_the_rest_to_the_titles():
    """The Due column keeps room for "· slipped 22 months" only when a row has a slip to show; with
    none, the titles get those cells. A row that starts to slip widens it at once, whole."""
    rows = [row._replace(title="A long action title " * 8) for row in make_rows(40)]
    app = TableApp(rows)
    async with app.run_test(size=(200, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(ActionTable)
        assert _due_width(table) == 11
        widths = dict((column.key, width) for column, width in table._columns_for(table._width()))
        assert widths["title"] >= 100
        slipped = rows[3]._replace(
            due=date(2023, 9, 30), baseline="March 2023", baseline_due=date(2023, 3, 31)
        )
        table.update_row(slipped)
        await pilot.pause()
        assert _due_width(table) == len("· Sep 2023 · slipped 6 months")
        line = "".join(segment.text for segment in table.render_line(4))
        assert "· Sep 2023 · slipped 6 months" in line
        table.set_rows(rows)  # the slip is gone again
        await pilot.pause()
        assert _due_width(table) == 11
