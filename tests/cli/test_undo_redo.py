"""`plantui undo` and `plantui redo`: your own newest change, one save at a time; refused in one line
saying who changed what and when unless `--force`; a step from an ended meeting needs `--force` too;
redo records the undone change again. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from plantui.cli.main import cli
from plantui.io.plan_json import dumps_plan
from tests.conftest import mini_plan


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


@pytest.fixture
def loaded(db_target: str, tmp_path: Path) -> str:
    """The test plan imported into a SQLite file or a PostgreSQL database (each test runs on both)."""
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(dumps_plan(mini_plan(markup=True)), encoding="utf-8")
    run("--db", db_target, "import", str(plan_file))
    return db_target


def status_of(db: str, ref: str, *extra: str) -> str:
    rows = json.loads(run("--db", db, *extra, "list", "--json").stdout)
    return next(row["rag"] for row in rows if row["ref"] == ref)


def test_ann_undo_after_ben_is_refused_until_forced(loaded: str) -> None:
    db = loaded
    run("--db", db, "--author", "Ann", "set", "1.1.1.1", "--rag", "off_track")
    run("--db", db, "--author", "Ben", "set", "1.1.1.1", "--rag", "on_track")
    refused = run("--db", db, "--author", "Ann", "undo", ok=False)
    assert refused.exit_code == 1 and refused.stdout == ""
    [line] = refused.stderr.splitlines()
    assert line.startswith(
        "plantui: not undone: Ben changed the status of 1.1.1.1 from ✖ Off track to ● On track at "
    )
    assert "(history #2)" in line and line.endswith("`plantui undo --force` undoes it anyway")
    assert status_of(db, "1.1.1.1") == "on_track"
    assert len(json.loads(run("--db", db, "history", "--json").stdout)) == 2  # nothing written

    forced = run("--db", db, "--author", "Ann", "undo", "--force").stdout
    assert "Undone:" in forced and "undo of #1" in forced
    assert status_of(db, "1.1.1.1") == "complete"


def test_undo_takes_back_one_whole_save_and_redo_brings_it_back(loaded: str) -> None:
    db = loaded
    run("--db", db, "--author", "Ann", "set", "1.1.1.3", "--rag", "off_track", "--milestone", "June 2023",
        "--note", "Nobody applied")  # fmt: skip
    undone = run("--db", db, "--author", "Ann", "undo").stdout.splitlines()
    assert len(undone) == 2 and all(line.startswith("Undone: ") for line in undone)
    assert status_of(db, "1.1.1.3") == "on_track"
    redone = run("--db", db, "--author", "Ann", "redo").stdout.splitlines()
    assert len(redone) == 2 and all(line.startswith("Redone: ") for line in redone)
    rows = json.loads(run("--db", db, "list", "--json").stdout)
    row = next(row for row in rows if row["ref"] == "1.1.1.3")
    assert (row["rag"], row["milestone"], row["last_note"]) == ("off_track", "June 2023", "Nobody applied")
    nothing = run("--db", db, "--author", "Ann", "redo", ok=False)
    assert nothing.exit_code == 3 and nothing.stderr.strip() == "plantui: Ann has nothing to redo"


def test_a_new_change_clears_redo(loaded: str) -> None:
    db = loaded
    run("--db", db, "--author", "Ann", "set", "1.1.1.1", "--rag", "off_track")
    run("--db", db, "--author", "Ann", "undo")
    run("--db", db, "--author", "Ann", "set", "1.1.1.2", "--note", "Something new")
    assert run("--db", db, "--author", "Ann", "redo", ok=False).exit_code == 3
    assert status_of(db, "1.1.1.1") == "complete"


def test_undo_into_an_ended_meeting_needs_force(loaded: str) -> None:
    db = loaded
    run("--db", db, "--author", "Ann", "meeting", "start", "--title", "October Board")
    saved = run("--db", db, "--author", "Ann", "set", "1.1.1.2", "--rag", "on_track").stdout
    assert "in meeting 'October Board'" in saved
    run("--db", db, "meeting", "end")
    refused = run("--db", db, "--author", "Ann", "undo", ok=False)
    assert refused.exit_code == 1 and len(refused.stderr.splitlines()) == 1
    assert "was made in the board meeting 'October Board', which ended at " in refused.stderr
    assert status_of(db, "1.1.1.2") == "on_track"
    run("--db", db, "--author", "Ann", "undo", "--force")
    assert status_of(db, "1.1.1.2") == "off_track"


def test_as_at_today_agrees_with_the_plan_after_a_clock_put_right(loaded: str) -> None:
    """The store's clock (`at`) stamps one change three days ahead, then the next one now."""
    from datetime import UTC, datetime, timedelta

    from plantui.store.changes import set_status
    from plantui.store.opening import open_database

    database = open_database(loaded)
    try:
        now = datetime.now(UTC).replace(tzinfo=None)
        set_status(database, "1.1.1.2", "complete", author="Ann", at=now + timedelta(days=3))
        set_status(database, "1.1.1.2", "on_track", author="Ann", at=now)
    finally:
        database.close()
    today = date.today().isoformat()
    assert status_of(loaded, "1.1.1.2") == "on_track"
    assert status_of(loaded, "1.1.1.2", "--as-at", today) == "on_track"
