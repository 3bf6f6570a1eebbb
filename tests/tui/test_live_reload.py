"""An open workbench sees what other processes do to its plan as they commit it: a change appears
without waiting for a poll, and a restore or an `import --force` (the history no longer continues
from what the window showed) reloads the whole plan and says why. The other processes are real
`plantui` commands; the tests wait on conditions with a timeout and assert no timings (those are in
benchmarks/run.py)."""

from __future__ import annotations

import asyncio
import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from plantui.tui.app import PlanApp
from plantui.tui.widgets.action_table import ActionTable
from tests.conftest import TODAY, mini_plan
from tests.tui.conftest import AUTHOR, SIZE, notices, settle

LONG_AFTER = 60.0  # the workbench's own look-again interval: far longer than any wait below


def plantui(target: str | Path, *args: str) -> str:
    """Run `plantui --db TARGET ARGS` as another process; its stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "plantui", "--db", str(target), "--author", "Colleague", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


async def wait_for(pilot, condition, seconds: float = 20.0) -> bool:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await asyncio.sleep(0.05)
        await pilot.pause()
    return condition()


def shown_row(table: ActionTable, ref: str):
    """The row the table shows for `ref`, or an empty stand-in while the table has not shown it yet
    (it fills a frame or so after the plan loads), so a wait can ask again."""
    return next((r for r in table.rows if r.ref == ref), _NOT_SHOWN)


class _NotShown:
    status = title = None
    leads = ()


_NOT_SHOWN = _NotShown()


async def close(app: PlanApp, pilot) -> None:
    app.workers.cancel_all()
    await settle(pilot)


async def test_a_change_by_another_process_appears_as_it_commits(database, db_target: str) -> None:
    app = PlanApp(database, today=TODAY, author=AUTHOR, live_refresh_seconds=LONG_AFTER)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_for(pilot, lambda: app.model is not None)
        plantui(db_target, "set", "1.1.1.3", "--rag", "off_track", "--note", "Post withdrawn")
        assert await wait_for(pilot, lambda: app.model.row("1.1.1.3").status == "off_track")
        table = app.screen.query_one(ActionTable)
        assert await wait_for(pilot, lambda: shown_row(table, "1.1.1.3").status == "off_track")
        assert any("Colleague · 1.1.1.3" in m for m in notices(app))
        await close(app, pilot)


async def test_a_text_edit_by_another_process_shows_and_is_found_at_once(database, db_target: str) -> None:
    app = PlanApp(database, today=TODAY, author=AUTHOR, live_refresh_seconds=LONG_AFTER)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_for(pilot, lambda: app.model is not None)
        assert app.screen.search_index().search("apprentices") == []
        plantui(db_target, "edit", "1.1.1.3", "--title", "Recruit [b]apprentices[/b]", "--add-lead", "A & B")
        table = app.screen.query_one(ActionTable)
        assert await wait_for(
            pilot,
            lambda: shown_row(table, "1.1.1.3").leads == ("Head of Service", "A & B"),
        )
        assert shown_row(table, "1.1.1.3").title == "Recruit [b]apprentices[/b]"
        assert [found.ref for found in app.screen.search_index().search("apprentices")] == ["1.1.1.3"]
        told = " ".join(notices(app))
        assert "Colleague · 1.1.1.3: leads Head of Service -> Head of Service; A & B" in told
        await close(app, pilot)


@pytest.mark.sqlite_only  # a restore puts a SQLite file back; the server has no backup copies
async def test_a_restore_by_another_process_reloads_the_plan_and_says_why(database, db_target: str) -> None:
    plantui(db_target, "set", "1.1.1.3", "--rag", "some_issues")
    copy = Path(db_target).parent / "before.db"
    plantui(db_target, "backup", "-o", str(copy))
    plantui(db_target, "set", "1.1.1.3", "--rag", "off_track")
    app = PlanApp(database, today=TODAY, author=AUTHOR, live_refresh_seconds=LONG_AFTER)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_for(pilot, lambda: app.model is not None)
        assert app.model.row("1.1.1.3").status == "off_track"
        plantui(db_target, "restore", str(copy))
        assert await wait_for(pilot, lambda: app.model.row("1.1.1.3").status == "some_issues")
        told = [m for m in notices(app) if m.startswith("Reloaded the whole plan")]
        assert told == [
            "Reloaded the whole plan: its history went back from change #2 to #1 "
            "(a restore or an import --force)."
        ]
        # Watching goes on from the restored plan.
        plantui(db_target, "set", "1.1.1.2", "--rag", "on_track")
        assert await wait_for(pilot, lambda: app.model.row("1.1.1.2").status == "on_track")
        await close(app, pilot)


async def test_an_import_force_by_another_process_reloads_the_plan_and_says_why(
    database, db_target: str, tmp_path: Path
) -> None:
    from plantui.io.plan_json import dumps_plan

    replacement = dataclasses.replace(mini_plan(), title="The replacement plan")
    plan_file = tmp_path / "replacement.json"
    plan_file.write_text(dumps_plan(replacement), encoding="utf-8")
    app = PlanApp(database, today=TODAY, author=AUTHOR, live_refresh_seconds=LONG_AFTER)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_for(pilot, lambda: app.model is not None)
        assert app.model.info.title == "Test Improvement Plan"
        plantui(db_target, "import", "--force", str(plan_file))
        assert await wait_for(pilot, lambda: app.model.info.title == "The replacement plan")
        assert app.title == "The replacement plan"
        told = [m for m in notices(app) if m.startswith("Reloaded the whole plan")]
        assert told == [
            "Reloaded the whole plan: the database holds another plan now "
            "(replaced by an import --force or a restore)."
        ]
        await close(app, pilot)


def shown_value(app: PlanApp, ref: str) -> float | None:
    """The latest value the workbench holds for the measure `ref`, or None."""
    measure = next((m for m in app.model.measures if m.ref == ref), None)
    return measure.values[-1].value if measure is not None and measure.values else None


async def test_a_measure_recorded_by_another_process_reaches_the_open_window(
    database, db_target: str
) -> None:
    # A value or a definition writes no history row: the window must still be told, on both backends.
    app = PlanApp(database, today=TODAY, author=AUTHOR, live_refresh_seconds=LONG_AFTER)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_for(pilot, lambda: app.model is not None)
        assert app.model.measures == []
        plantui(db_target, "measure", "add", "M1", "Visits on time", "--unit", "%", "--target", "80")
        plantui(db_target, "measure", "link", "M1", "1.1.1.3")
        assert await wait_for(
            pilot, lambda: [m.ref for m in app.model.measures_of_action("1.1.1.3")] == ["M1"]
        )
        plantui(db_target, "measure", "record", "M1", "2022-10", "72")
        assert await wait_for(pilot, lambda: shown_value(app, "M1") == 72)
        await pilot.press("K")  # the scorecard follows too
        assert await wait_for(pilot, lambda: [r.standing.value for r in app.screen.shown] == [72])
        plantui(db_target, "measure", "record", "M1", "2022-10", "74", "--note", "late returns")
        assert await wait_for(pilot, lambda: shown_value(app, "M1") == 74)
        assert await wait_for(pilot, lambda: [r.standing.value for r in app.screen.shown] == [74])
        plantui(db_target, "measure", "edit", "M1", "--target", "70")
        assert await wait_for(pilot, lambda: app.model.measures[0].target == 70)
        await close(app, pilot)
