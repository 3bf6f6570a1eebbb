"""The scorecard (`K`): every measure with its latest value, target, status, trend and last 12
periods, sorted and filtered; a measure's history and links; linked measures in the action detail and
the findings view; as-at; snapshots at 80x24, 120x36 and 200x50, and without colour."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from plantui.tui.screens.measure import MeasureScreen
from plantui.tui.screens.scorecard import ScorecardScreen
from plantui.tui.widgets.measure_table import MeasureTable
from tests.conftest import SCORED_NAME as NAME
from tests.conftest import record_scores, scored_plan, stored_plan
from tests.tui.conftest import SIZE, screen_text, settle


@pytest.fixture
def scored(tmp_path: Path, make_app):
    """An app over the scored plan (make_app opens the plan.db made here)."""

    def make():
        path = tmp_path / "plan.db"
        if not path.exists():
            stored_plan(path, scored_plan())
            record_scores(path)
        return make_app()

    return make


def table_refs(screen: ScorecardScreen) -> list[str]:
    return [row.measure.ref for row in screen.shown]


async def open_scorecard(pilot) -> ScorecardScreen:
    await settle(pilot)
    await pilot.press("K")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ScorecardScreen)
    return screen


async def test_the_scorecard_lists_every_measure_worst_first_with_words_and_sparklines(scored) -> None:
    app = scored()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_scorecard(pilot)
        assert table_refs(screen) == ["M1", "M2", "M10", "M4", "M3"]
        text = screen_text(app)
        assert "5 measures" in text
        row = next(line for line in text.splitlines() if "▸M1 " in line)
        for words in ("Visits on time [b]withi", "72%", "Oct 2022", "≥ 80%", "✖ Off target", "▼ worse"):
            assert words in row
        assert "··▁▃▄▅▆▇▆█▇▂" in row  # Nov 2021 to Oct 2022: two periods without a value, then Jan to Oct
        m2 = next(line for line in text.splitlines() if " M2 " in line)
        assert "◐ Within tolerance" in m2 and "≤ 20%" in m2 and "▲ better" in m2
        m10 = next(line for line in text.splitlines() if " M10 " in line)
        assert "? No data" in m10 and "no values" in m10
        assert "– No target" in next(line for line in text.splitlines() if " M4 " in line)
        # The selected measure in full, under the table: the name a narrow column cuts.
        assert f"M1  {NAME}" in text


async def test_s_sorts_by_status_ref_and_name_and_slash_filters(scored) -> None:
    app = scored()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_scorecard(pilot)
        await pilot.press("s")
        assert table_refs(screen) == ["M1", "M2", "M3", "M4", "M10"]  # M10 after M4: refs sort as numbers
        await pilot.press("s")
        assert table_refs(screen) == ["M10", "M4", "M3", "M2", "M1"]  # by name
        await pilot.press("s")
        assert screen.sort == "status"
        await pilot.press("slash", *"status:off")
        await settle(pilot)
        assert table_refs(screen) == ["M1"]
        assert "5 measures, 1 shown" in screen_text(app)
        await pilot.press("escape")  # clears the filter
        assert table_refs(screen) == ["M1", "M2", "M10", "M4", "M3"]
        screen.set_filter("owner:jane")
        assert table_refs(screen) == ["M1"]
        screen.set_filter('owner:"head of service"')
        assert table_refs(screen) == ["M3"]
        screen.set_filter("status:no")
        assert table_refs(screen) == ["M10", "M4"]
        screen.set_filter("re-referrals")
        assert table_refs(screen) == ["M2"]
        screen.set_filter("status:sideways")
        await pilot.pause()
        assert table_refs(screen) == ["M2"]  # a term it cannot read leaves the table as it was, and says so
        assert "status:sideways: use off, within, met, no_data or no_target" in screen_text(app)
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, ScorecardScreen)


async def test_the_table_moves_with_the_keys_and_sorts_by_a_clicked_header(scored) -> None:
    app = scored()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_scorecard(pilot)
        await pilot.press("j", "j")
        assert screen.selected.measure.ref == "M10"
        assert "M10  Agency social workers" in screen_text(app)  # the selected measure in full, below
        await pilot.press("G")
        assert screen.selected.measure.ref == "M3"
        await pilot.press("k", "home")
        assert screen.selected.measure.ref == "M1"
        await pilot.click("#scorecard-table", offset=(15, 0))  # the Measure header
        await settle(pilot)
        assert screen.sort == "name" and table_refs(screen)[0] == "M10"
        assert screen.selected.measure.ref == "M1"  # the cursor stays on the measure it was on
        await pilot.click("#scorecard-table", offset=(1, 2))  # the second row
        assert screen.selected.measure.ref == "M4"


async def test_enter_shows_a_measures_history_and_links_and_goes_to_a_linked_action(scored) -> None:
    app = scored()
    async with app.run_test(size=SIZE) as pilot:
        await open_scorecard(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MeasureScreen)
        text = screen_text(app)
        assert "Action 1.1.1.2" in text
        assert "Objective 1.1.1" in text
        assert "Finding 1  Caseloads and oversight" in text
        history = app.screen.query_one("#measure-history-body").render().plain
        october = history[history.index("Oct 2022") :]
        assert october.startswith("Oct 2022  72%  ✖ Off target  ▼ worse")
        assert "by Jane Smith  “late [returns]”" in october
        assert "was 85%, recorded" in october and "(corrected since)" in october
        assert "target 75% -> 80%" in history and "added as M1" in history
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "MainScreen"
        assert app.screen.selected.ref == "1.1.1.2"


async def test_the_action_detail_and_the_findings_view_show_linked_measures(scored) -> None:
    app = scored()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.go_to_ref("1.1.1.2")
        await settle(pilot)
        detail = app.screen.query_one("#detail-body").render().plain
        assert "Measures of impact" in detail
        assert "M1 ✖ Off target  72% Oct 22 (target ≥ 80%)  ▼ worse" in detail
        await pilot.press("F")
        await settle(pilot)
        text = screen_text(app)
        assert "M1 ✖ Off target  72% Oct 22" in text


async def test_as_at_shows_the_measures_as_they_stood(scored) -> None:
    app = scored()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.show_as_at(date(2022, 10, 20))  # before the October value was corrected
        await settle(pilot)
        screen = await open_scorecard(pilot)
        m1 = next(row for row in screen.shown if row.measure.ref == "M1")
        assert (m1.standing.value, m1.standing.status) == (85, "met")
        assert "as at 20 Oct 2022" in screen_text(app)
        m2 = next(row for row in screen.shown if row.measure.ref == "M2")
        assert m2.standing.period == "2022-09"  # October's value was recorded after that day


async def test_a_plan_without_measures_says_how_to_add_one(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_scorecard(pilot)
        assert screen.shown == []
        assert "No measures yet. Add one with plantui measure add REF NAME" in screen_text(app)
        await pilot.press("enter")  # nothing to open: a bell, no error
        assert app.screen is screen


async def test_the_palette_opens_the_scorecard(scored) -> None:
    app = scored()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = [command.name for command in app.screen.palette_commands()]
        assert "Scorecard" in names
        next(c for c in app.screen.palette_commands() if c.name == "Scorecard").run()
        await settle(pilot)
        assert isinstance(app.screen, ScorecardScreen)
        assert len(app.screen.query_one(MeasureTable).items) == 5


# --- snapshots -----------------------------------------------------------------------------------------


async def _scorecard(pilot) -> None:
    await settle(pilot)
    await pilot.press("K")
    await settle(pilot)


def test_scorecard_80x24(snap_compare, scored):
    assert snap_compare(scored(), terminal_size=(80, 24), run_before=_scorecard)


def test_scorecard_120x36(snap_compare, scored):
    assert snap_compare(scored(), terminal_size=(120, 36), run_before=_scorecard)


def test_scorecard_200x50(snap_compare, scored):
    assert snap_compare(scored(), terminal_size=(200, 50), run_before=_scorecard)


def test_scorecard_no_color_80x24(snap_compare, scored, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(scored(), terminal_size=(80, 24), run_before=_scorecard)
