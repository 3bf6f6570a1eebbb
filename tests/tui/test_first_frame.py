"""The workbench's first frame from a snapshot: the plan is on screen before the store opens, a change
asked for meanwhile is saved once it has, and a store that cannot open ends the app with the reason."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from plantui.domain.errors import StoreError
from plantui.store import queries
from plantui.store.location import resolve
from plantui.store.opening import open_database
from plantui.store.snapshot import read_snapshot
from plantui.tui.app import PlanApp
from tests.conftest import TODAY, stored_plan, wait_for_workers
from tests.tui.conftest import ALL_REFS, AUTHOR, SIZE, notices, screen_text, settle, shown, status_line


def plan_file(tmp_path: Path) -> Path:
    return stored_plan(tmp_path / "plan.db")


class Gate:
    """Opens the store only when the test says so, and remembers what it opened."""

    def __init__(self, path: Path, **options) -> None:
        self.path, self.options = path, options
        self.asked = threading.Event()
        self.release = threading.Event()
        self.opened = []

    def __call__(self):
        self.asked.set()
        assert self.release.wait(10), "the test never let the store open"
        self.opened.append(open_database(self.path, daily_backup=False, **self.options))
        return self.opened[-1]

    def close(self) -> None:
        for database in self.opened:
            database.close()


async def until(condition, pilot, timeout: float = 5) -> bool:
    """Let the app run (a timer opens the store after the first frame) until `condition()` holds."""
    for _ in range(int(timeout / 0.02)):
        if condition():
            return True
        await pilot.pause(0.02)
    return condition()


def snapshot_app(path: Path, gate: Gate, **changes) -> PlanApp:
    snapshot = read_snapshot(resolve(path))
    assert snapshot is not None
    if changes:
        snapshot = dataclasses.replace(snapshot, **changes)
    app = PlanApp(today=TODAY, author=AUTHOR, open_store=gate, snapshot=snapshot, live_refresh_seconds=None)
    app.animation_level = "none"
    return app


async def test_the_plan_is_on_screen_before_the_store_opens_and_a_change_waits_for_it(tmp_path):
    path = plan_file(tmp_path)
    gate = Gate(path)
    app = snapshot_app(path, gate)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert shown(app) == ALL_REFS
            text = screen_text(app)
            assert "Test Improvement Plan" in text and "7 of 7 actions" in text
            assert await until(gate.asked.is_set, pilot) and not gate.opened  # asked after the first frame
            assert app.model.row("1.1.1.2").status == "off_track"
            await pilot.press("down", "2")  # 1.1.1.2 on track, while the store is still opening
            await pilot.pause()
            assert app.model.row("1.1.1.2").status == "off_track"
            assert not any("Saved" in n or "on track" in n for n in notices(app))
            gate.release.set()
            await settle(pilot)
            assert app.model.row("1.1.1.2").status == "on_track"
            [entry] = queries.plan_history(app.database)
            assert (entry.action_ref, entry.new, entry.author) == ("1.1.1.2", "on_track", AUTHOR)
            assert status_line(app).startswith("1.1.1.2 saved: ✖ Off track -> ● On track")
    finally:
        gate.close()


async def test_a_store_that_cannot_open_ends_the_app_and_keeps_the_reason(tmp_path):
    path = plan_file(tmp_path)

    def cannot_open():
        raise StoreError(f"{path} is locked by another program: database is locked")

    snapshot = read_snapshot(resolve(path))
    app = PlanApp(today=TODAY, author=AUTHOR, open_store=cannot_open, snapshot=snapshot)
    async with app.run_test(size=SIZE) as pilot:
        assert await until(lambda: app.store_error is not None, pilot)
        await wait_for_workers(app)
        await pilot.pause()
    assert app.return_code == 1
    assert app.store_error == f"{path} is locked by another program: database is locked"


async def test_leaving_at_once_neither_waits_for_the_store_nor_reports_an_error(tmp_path):
    path = plan_file(tmp_path)
    gate = Gate(path)
    app = snapshot_app(path, gate)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("q")  # the detail pane's history is already waiting for the store
            gate.release.set()
        assert app.return_code == 0 and app.store_error is None
    finally:
        gate.close()


async def test_a_read_only_file_shows_its_banner_in_the_first_frame(tmp_path):
    path = plan_file(tmp_path)
    gate = Gate(path, readonly=True)
    app = snapshot_app(path, gate, writable=False, readonly_reason=" (the file is not writable)")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            words = " ".join(screen_text(app).split())  # the banner wraps where the folder's name ends
            assert "READ-ONLY: " in words and "is read-only (the file is not writable)" in words
            await pilot.press("4")
            await pilot.pause()
            assert any("Cannot save:" in n for n in notices(app))
            gate.release.set()
            await settle(pilot)
            assert "READ-ONLY" in screen_text(app)
            assert queries.plan_history(app.database) == []
    finally:
        gate.close()


async def test_someone_elses_change_while_the_store_opened_is_taken_in(tmp_path):
    path = plan_file(tmp_path)
    gate = Gate(path)
    app = snapshot_app(path, gate)
    app.live_refresh_seconds = 0.1
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            from plantui.store.changes import set_status

            other = open_database(path, daily_backup=False)
            set_status(other, "2.1.1.1", "off_track", author="Someone Else")
            other.close()
            gate.release.set()
            for _ in range(100):
                await pilot.pause(0.05)
                if app.model.row("2.1.1.1").status == "off_track":
                    break
            assert app.model.row("2.1.1.1").status == "off_track"
            assert any("Someone Else" in n for n in notices(app))
            app.workers.cancel_group(app, "watch")
    finally:
        gate.close()


FIRST_FRAME_SCRIPT = """
import json, sys
from plantui.cli import main as cli_main
from plantui.tui.app import PlanApp

seen = {}
real_open, real_run = cli_main.Options.open, PlanApp.run

def open_store(self, **options):
    seen["imported before the store opened"] = sorted(
        {"sqlalchemy", "sqlmodel", "pydantic", "plantui.store.tables"} & set(sys.modules)
    )
    return real_open(self, **options)

def run(self, **_):
    async def look_then_quit(pilot):
        while self.session.waiting_for_store:
            await pilot.pause(0.05)
        await pilot.pause()
        seen["rows"] = len(self.model.rows)
        seen["read only"] = self.read_only
        await pilot.press("q")
    return real_run(self, headless=True, size=(120, 36), auto_pilot=look_then_quit)

cli_main.Options.open, PlanApp.run = open_store, run
cli_main.cli.main(["--db", sys.argv[1], "--today", "2022-11-01"], standalone_mode=False)
print(json.dumps(seen))
"""


def test_plantui_draws_the_plan_before_it_imports_sqlalchemy(tmp_path):
    """Only a command that opens the store pays for SQLAlchemy, SQLModel and pydantic: the first frame
    comes from the standard-library snapshot."""
    path = plan_file(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME_SCRIPT, str(path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {"imported before the store opened": [], "rows": 7, "read only": False}


def test_a_file_that_needs_the_store_first_still_opens(tmp_path):
    empty = tmp_path / "empty.db"  # no plan yet: the store opens first and fills in the sample
    shutil.copyfile(plan_file(tmp_path), tmp_path / "unused.db")
    result = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME_SCRIPT, str(empty)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["rows"] == 124  # the bundled sample


FAILING_STORE_SCRIPT = """
import sys
from plantui.cli import main as cli_main
from plantui.domain.errors import StoreError
from plantui.tui.app import PlanApp

real_run, path = PlanApp.run, sys.argv[1]

def open_store(self, **options):
    raise StoreError(f"{path} is locked by another program: database is locked")

def run(self, **_):
    return real_run(self, headless=True, size=(120, 36))

cli_main.Options.open, PlanApp.run = open_store, run
sys.argv = ["plantui", "--db", sys.argv[1], "--today", "2022-11-01"]
cli_main.main()
"""


def test_a_store_that_fails_behind_the_first_frame_ends_in_one_line_and_a_failure_exit(tmp_path):
    path = plan_file(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", FAILING_STORE_SCRIPT, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"plantui: {path} is locked by another program: database is locked"
    ]
    assert "Traceback" not in result.stdout + result.stderr
