"""The workbench over a database holding values plantui would not write: a time with no local time,
a status that is no code. It shows what it can and says what is wrong in one line; it never crashes."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from plantui.store.changes import add_note
from tests.tui.conftest import AUTHOR, SIZE, notices, screen_text, settle


@pytest.fixture
def local_zone(monkeypatch):
    """Run in the time zone given (the process's own zone, as a user's machine has it)."""

    def use(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    ("stored", "zone"),
    [
        ("0001-01-01 00:00:00.000000", "Pacific/Kiritimati"),
        ("0001-01-01 00:00:00.000000", "America/Adak"),
        ("9999-12-31 23:59:59.000000", "Pacific/Kiritimati"),  # east of Greenwich: past year 9999
    ],
)
async def test_history_times_without_a_local_time_are_shown_in_utc(
    make_app, tmp_path: Path, local_zone, zone, stored
):
    app = make_app()
    add_note(app.database, "1.1.1.1", "Signed off", author=AUTHOR)
    with sqlite3.connect(tmp_path / "plan.db") as raw:
        raw.execute("UPDATE history SET at = ?", (stored,))
        raw.execute("UPDATE action SET updated_at = ?", (stored,))
    raw.close()
    local_zone(zone)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#detail").scroll_end(animate=False)
        await settle(pilot)
        text = screen_text(app)
        assert "Signed off" in text
        assert stored[:10] in text or "UTC" in text


def _store_status(path: Path, sql: str) -> None:
    with sqlite3.connect(path) as raw:
        raw.execute(sql)
    raw.close()


async def test_an_unknown_stored_status_is_told_in_one_line(make_app, tmp_path: Path):
    app = make_app()
    _store_status(tmp_path / "plan.db", "UPDATE action SET status = 'green' WHERE ref = '1.1.1.2'")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        [told] = [n for n in notices(app) if "green" in n]
        assert "the database holds an unknown status 'green' for action 1.1.1.2" in told
        assert "\n" not in told


async def test_an_unknown_status_in_history_is_told_and_the_plan_still_shows(make_app, tmp_path: Path):
    from plantui.store.changes import set_status

    app = make_app()
    set_status(app.database, "1.1.1.1", "off_track", author=AUTHOR)
    _store_status(tmp_path / "plan.db", "UPDATE history SET old = 'green'")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Develop a workforce strategy" in screen_text(app)
        app.screen.query_one("#detail").scroll_end(animate=False)
        await settle(pilot)
        told = [n for n in notices(app) if "green" in n] + [
            line for line in screen_text(app).splitlines() if "green" in line
        ]
        assert told and "unknown status 'green'" in told[0]
