"""The calendar screen, pushed by a small host app over the sample plan as at 2022-11-01."""

from __future__ import annotations

from datetime import date

import pytest
from rich.text import Text
from textual.app import App

from plantui.domain.calendar import Month, calendar_year
from plantui.domain.statuses import STATUSES
from plantui.domain.views import ActionRow
from plantui.tui.screens.calendar import CalendarScreen, MonthView, OngoingLane, cell_lines
from tests.conftest import mini_plan

TODAY = date(2022, 11, 1)
UNSET = object()
SYMBOLS = {s.symbol for s in STATUSES}


@pytest.fixture(scope="module")
def sample_rows(tmp_path_factory: pytest.TempPathFactory) -> tuple[ActionRow, ...]:
    from plantui.io.sample import load_sample
    from plantui.store.opening import open_database
    from plantui.store.plans import load_document
    from plantui.store.queries import list_actions

    database = open_database(tmp_path_factory.mktemp("sample") / "sample.db")
    try:
        load_document(database, load_sample())
        return tuple(list_actions(database))
    finally:
        database.close()


@pytest.fixture(scope="module")
def mini_rows(tmp_path_factory: pytest.TempPathFactory) -> tuple[ActionRow, ...]:
    from plantui.store.opening import open_database
    from plantui.store.plans import load_document
    from plantui.store.queries import list_actions

    database = open_database(tmp_path_factory.mktemp("mini") / "mini.db")
    try:
        load_document(database, mini_plan(markup=True))
        return tuple(list_actions(database))
    finally:
        database.close()


class Host(App[None]):
    """Stands in for the main app: pushes the calendar and keeps what it dismissed with."""

    def __init__(self, rows: tuple[ActionRow, ...], today: date = TODAY) -> None:
        super().__init__()
        self.rows, self.today = rows, today
        self.result: object = UNSET

    def on_mount(self) -> None:
        self.push_screen(CalendarScreen(self.rows, self.today), self.chosen)

    def chosen(self, term: str | None) -> None:
        self.result = term


def plain(widget) -> str:
    rendered = widget.render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


def month_view(app: App, number: int) -> MonthView:
    return app.screen.query_one(f"#month-{number}", MonthView)


async def test_opens_on_todays_month(sample_rows) -> None:
    app = Host(sample_rows)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        assert screen.selected == Month(2022, 11)
        november = month_view(app, 11)
        assert november.has_class("-current", "-selected")
        assert "November 2022 ◆ today" in str(november.border_title)
        assert not month_view(app, 10).has_class("-current")
        assert month_view(app, 10).has_class("-past")
        body = plain(november)
        assert body.splitlines()[:2] == ["6 due · ◷ 4 soon", "✔1 ●3 ▲1 ∞1"]
        october = plain(month_view(app, 10))
        assert october.startswith("14 due · ⚠ 11 overdue")
        summary = str(screen.query_one("#calendar-summary").render())
        assert "Milestones 2022" in summary and "70 due" in summary and "⚠ 12 overdue" in summary
        assert "◷ 4 soon" in summary and "29 due later" in summary
        lane = str(screen.query_one(OngoingLane).render())
        assert "Ongoing (no date): 25 actions" in lane and "∞22" in lane


async def test_moves_between_months_and_years(sample_rows) -> None:
    app = Host(sample_rows)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        steps = [
            ("right", Month(2022, 12)),
            ("l", Month(2023, 1)),  # across the year end: the grid turns to 2023
            ("left", Month(2022, 12)),
            ("h", Month(2022, 11)),
            ("down", Month(2023, 3)),  # a row of four months down
            ("k", Month(2022, 11)),
            ("j", Month(2023, 3)),
            ("up", Month(2022, 11)),
            ("right_square_bracket", Month(2023, 11)),
            ("left_square_bracket", Month(2022, 11)),
            ("left_square_bracket", Month(2021, 11)),
            ("t", Month(2022, 11)),
        ]
        for key, expected in steps:
            await pilot.press(key)
            assert screen.selected == expected, key
            assert screen.model.year == expected.year
            assert month_view(app, expected.month).has_class("-selected")
            assert len(screen.query(".-selected")) == 1
        await pilot.press("l", "l")
        assert "Milestones 2023" in str(screen.query_one("#calendar-summary").render())
        assert plain(month_view(app, 4)).startswith("9 due")  # April 2023
        assert not month_view(app, 11).has_class("-current")  # today is not in 2023


@pytest.mark.parametrize(
    ("keys", "result"),
    [
        (("enter",), "due:2022-11"),
        (("left_square_bracket", "h", "h", "enter"), "due:2021-09"),
        (("escape",), None),
        (("l", "escape"), None),
        (("m",), None),  # the key that opens it closes it
        (("o",), "due:none"),
    ],
)
async def test_keys_that_leave_the_calendar(sample_rows, keys: tuple[str, ...], result: str | None) -> None:
    """Enter hands back the selected month's filter term, o the Ongoing lane's, Escape nothing."""
    app = Host(sample_rows)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
        assert app.result == result
        assert not isinstance(app.screen, CalendarScreen)


async def test_click_selects_a_month_and_a_second_click_opens_it(sample_rows) -> None:
    app = Host(sample_rows)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        await pilot.click("#month-3")
        assert screen.selected == Month(2022, 3)
        assert app.result is UNSET
        await pilot.click("#month-3")
        await pilot.pause()
        assert app.result == "due:2022-03"


async def test_click_on_the_ongoing_lane_lists_it(sample_rows) -> None:
    app = Host(sample_rows)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.click("#ongoing")
        await pilot.pause()
        assert app.result == "due:none"


@pytest.mark.parametrize(("size", "listed"), [((120, 36), 6), ((80, 24), 2)])
async def test_a_full_month_says_how_many_more(sample_rows, size: tuple[int, int], listed: int) -> None:
    app = Host(sample_rows)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        september = plain(month_view(app, 9)).splitlines()  # 22 due
        assert september[-1] == f"+{22 - listed} more"
        assert sum(line.startswith(" ✔ ") for line in september) == listed
        december = plain(month_view(app, 12)).splitlines()  # 3 due: all fit at both sizes
        assert not any("more" in line for line in december)
        assert sum("● " in line for line in december) == 3


async def test_a_wide_terminal_shows_six_months_a_row(sample_rows) -> None:
    app = Host(sample_rows)
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        assert screen.columns == 6
        assert month_view(app, 6).region.y == month_view(app, 1).region.y
        await pilot.press("down")
        assert screen.selected == Month(2023, 5)


def test_cells_never_cut_silently(sample_rows) -> None:
    """At any size, a cell lists every action or says how many it left out."""
    year = calendar_year(sample_rows, 2022, TODAY)
    for cell in year.months:
        for width in (12, 16, 26, 40):
            for height in range(1, 14):
                lines = [line.plain for line in cell_lines(cell, TODAY, width, height)]
                assert len(lines) <= height
                assert all(len(line) <= width for line in lines)
                listed = sum(len(line) > 1 and line[1] in SYMBOLS for line in lines)
                more = [line for line in lines if line.endswith(" more")]
                if more:
                    assert more[0] == f"+{cell.total - listed} more"
                elif cell.total and height > 4:
                    assert listed == cell.total or lines[-1].startswith("…")


def test_user_text_is_shown_literally(mini_rows) -> None:
    year = calendar_year(mini_rows, 2022, TODAY)
    september = year.cell(Month(2022, 9))
    lines = [line.plain for line in cell_lines(september, TODAY, 80, 10)]
    assert any(line.endswith("Develop a workforce strategy[bold]x[/] [link=y] [") for line in lines)
    hostile = mini_rows[1]._replace(title="Evil\x1b]0;pwned\x07 title")
    lines = [
        line.plain
        for line in cell_lines(calendar_year([hostile], 2022, TODAY).cell(Month(2022, 9)), TODAY, 80, 10)
    ]
    assert any("Evil\\x1b]0;pwned\\x07 title" in line for line in lines)


def test_snapshot_of_the_sample_as_at_2022_11_01(snap_compare, sample_rows) -> None:
    assert snap_compare(Host(sample_rows), terminal_size=(120, 36))


async def test_a_moved_milestone_shows_as_slipped(database) -> None:
    from plantui.store.changes import set_milestone
    from plantui.store.queries import list_actions

    set_milestone(database, "1.1.1.2", "March 2023", note="Posts re-advertised", author="Ann")
    set_milestone(database, "1.1.1.3", "Ongoing", author="Ann")
    app = Host(tuple(list_actions(database)))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        lane = str(app.screen.query_one(OngoingLane).render())
        assert "» 1 slipped to no date" in lane
        await pilot.press("right_square_bracket")
        march = plain(month_view(app, 3)).splitlines()
        assert march[:3] == ["1 due", "✖1", "» 1 slipped 6 months"]
        assert march[3].startswith("»✖ 1.1.1.2 Recruit")  # the cell is too narrow to say it twice
        assert "» 1 slipped" in str(app.screen.query_one("#calendar-summary").render())


async def test_marks_do_not_depend_on_colour(sample_rows, monkeypatch: pytest.MonkeyPatch) -> None:
    """With NO_COLOR, the selected month is told by its heavy border and today's by its words."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = Host(sample_rows)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.no_color
        assert month_view(app, 11).styles.border_top[0] == "heavy"  # selected, and today's month
        await pilot.press("right")
        assert month_view(app, 12).styles.border_top[0] == "heavy"
        assert month_view(app, 11).styles.border_top[0] == "double"
        assert "◆ today" in str(month_view(app, 11).border_title)
        assert {month_view(app, n).styles.border_top[0] for n in range(1, 11)} == {"round"}
