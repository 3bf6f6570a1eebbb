"""The workbench's "Plan as at a date…" judges due, overdue, soon and slipped against that date, as
`plantui --as-at DATE list --overdue` does, and its header shows that date alone."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from plantui.domain.wording import day_text
from plantui.tui.app import PlanApp
from plantui.tui.widgets.action_table import ActionTable
from plantui.tui.widgets.plan_header import PlanHeader
from tests.tui.conftest import AUTHOR, SIZE, settle

REAL_TODAY = date(2023, 6, 30)  # after every as-at day below, as in the workbench's as-at dialog
DAYS = (date(2022, 10, 1), date(2022, 11, 15), date(2023, 3, 31))


def cli_overdue_count(db: Path, day: date) -> int:
    done = subprocess.run(
        [sys.executable, "-m", "plantui", "--db", str(db), "--as-at", day.isoformat(), "list", "--overdue"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    count, word = done.stderr.split()
    assert word in ("action", "actions")  # "1 action", "12 actions"
    return int(count)


@pytest.fixture
def sample_db(tmp_path: Path) -> Path:
    """The bundled sample plan, with a change late in October so that the days see different plans."""
    from plantui.io.sample import load_sample
    from plantui.store.changes import set_status
    from plantui.store.opening import open_database
    from plantui.store.plans import load_document

    path = tmp_path / "sample.db"
    database = open_database(path)
    try:
        load_document(database, load_sample())
        set_status(database, "4.1.1.1", "complete", author="Colleague", at=datetime(2022, 10, 20, 10))
    finally:
        database.close()
    return path


async def test_as_at_overdue_counts_match_the_cli_and_the_header_shows_the_day(sample_db: Path) -> None:
    expected = {day: cli_overdue_count(sample_db, day) for day in DAYS}
    assert len(set(expected.values())) > 1  # the days differ, so the test can tell them apart
    from plantui.store.opening import open_database

    database = open_database(sample_db)
    app = PlanApp(database, today=REAL_TODAY, author=AUTHOR, live_refresh_seconds=None)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.set_filter("due:overdue")
        await settle(pilot)
        counts = {}
        for day in DAYS:
            app.show_as_at(day)
            await settle(pilot)
            await pilot.pause()
            counts[day] = len(app.screen.query_one(ActionTable).rows)
            header = app.screen.query_one("#header", PlanHeader).line(200).plain
            assert f"as at {day_text(day)}" in header
            assert REAL_TODAY.isoformat() not in header
        app.show_now()
        await settle(pilot)
        assert f"as at {day_text(REAL_TODAY)}" in app.screen.query_one("#header", PlanHeader).line(200).plain
    database.close()
    assert counts == expected
