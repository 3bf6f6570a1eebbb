"""The store: opening, migrations, loading a plan, changes with history, undo, and bad databases."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from plantui.domain.errors import InputError, NotFoundError, PlantuiError, ReadOnlyError, StoreError
from plantui.store import changes, queries
from plantui.store.opening import open_database
from plantui.store.plans import dump_document, is_empty, load_document

AT = datetime(2022, 10, 5, 14, 3)


def test_new_file_is_private_in_wal_mode_with_foreign_keys(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        assert oct(db_path.stat().st_mode & 0o777) == "0o600"
        with db.read() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert is_empty(db)
    finally:
        db.close()


def test_new_folder_is_private(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new" / "plan.db")
    db.close()
    assert oct((tmp_path / "new").stat().st_mode & 0o777) == "0o700"


def test_load_and_list(database) -> None:
    rows = queries.list_actions(database)
    assert [r.ref for r in rows] == [
        "1.1.1.1",
        "1.1.1.2",
        "1.1.1.3",
        "1.2.1.1",
        "1.2.1.2",
        "2.1.1.1",
        "2.1.1.2",
    ]
    first = rows[0]
    assert first.leads == ("Assistant Director Safeguarding", "HR Lead")
    assert first.theme_ref == "1" and first.area_ref == "1.1" and first.objective_ref == "1.1.1"
    assert first.due.isoformat() == "2022-09-30"
    assert rows[1].milestone == "September 2022"  # printed "September  2022": spacing tidied on load
    assert rows[3].due is None  # Ongoing
    assert rows[6].due is None  # "Spring" cannot be read
    assert rows[0].baseline == "September 2022"


def test_refuses_to_load_over_a_plan(database, plan_doc) -> None:
    with pytest.raises(PlantuiError, match="already holds a plan"):
        load_document(database, plan_doc)
    load_document(database, plan_doc, replace=True)
    assert len(queries.list_actions(database)) == 7


def test_duplicate_refs_are_refused_and_nothing_is_written(db_target: str, plan_doc) -> None:
    plan_doc.themes[1].areas[0].objectives[0].actions[1].ref = "2.1.1.1"
    db = open_database(db_target)
    try:
        with pytest.raises(InputError, match="2.1.1.1 appears twice"):
            load_document(db, plan_doc)
        assert is_empty(db)
    finally:
        db.close()


def test_failed_load_rolls_back_whole(db_target: str, plan_doc) -> None:
    from sqlalchemy.exc import IntegrityError

    plan_doc.findings[-1].refs = [None]  # type: ignore[list-item]  # the last row written fails
    db = open_database(db_target)
    try:
        with pytest.raises(IntegrityError):
            load_document(db, plan_doc)
        assert is_empty(db)
    finally:
        db.close()


def test_set_status_writes_change_and_history_together(database) -> None:
    result = changes.set_status(
        database, "1.1.1.2", "some_issues", note="Two posts filled", author="Ann", at=AT
    )
    assert result.action.status == "some_issues"
    assert result.before.status == "off_track"
    assert result.entry.old == "off_track" and result.entry.new == "some_issues"
    assert result.action.last_note == "Two posts filled"
    assert result.action.updated_at == AT
    [entry] = queries.action_history(database, "1.1.1.2")
    assert (entry.author, entry.field, entry.old, entry.new, entry.note) == (
        "Ann", "status", "off_track", "some_issues", "Two posts filled",
    )  # fmt: skip


def test_same_status_with_note_is_a_note_and_without_is_nothing(database) -> None:
    result = changes.set_status(database, "1.1.1.2", "off_track", author="Ann")
    assert result.entry is None
    assert queries.action_history(database, "1.1.1.2") == []
    result = changes.set_status(database, "1.1.1.2", "off_track", note="Still short", author="Ann")
    assert result.entry.field == "note"


def test_bad_changes_are_refused_before_writing(database) -> None:
    with pytest.raises(InputError, match="unknown status 'purple'"):
        changes.set_status(database, "1.1.1.2", "purple", author="Ann")
    with pytest.raises(NotFoundError, match="no action with ref 9.9.9.9"):
        changes.set_status(database, "9.9.9.9", "on_track", author="Ann")
    with pytest.raises(InputError, match="not a ref"):
        changes.set_status(database, "abc", "on_track", author="Ann")
    with pytest.raises(InputError, match="author"):
        changes.set_status(database, "1.1.1.2", "on_track", author="  ")
    with pytest.raises(InputError, match="not a date"):
        changes.set_milestone(database, "1.1.1.2", "Spring", author="Ann")
    assert queries.plan_history(database) == []


def test_milestone_change_keeps_baseline(database) -> None:
    result = changes.set_milestone(database, "1.1.1.3", "June 2023", note="Delayed", author="Ann", at=AT)
    assert result.action.milestone == "June 2023"
    assert result.action.due.isoformat() == "2023-06-30"
    assert result.action.baseline == "March 2023"
    assert result.action.slipped_days == 91


def test_undo_adds_history_and_never_deletes(database) -> None:
    changes.set_status(database, "1.1.1.2", "on_track", note="a", author="Ann", at=AT)
    changes.set_milestone(database, "1.1.1.3", "June 2023", author="Ann", at=AT)
    undo = changes.undo_step(database, author="Ann")
    assert undo.entry.field == "milestone" and undo.action.milestone == "March 2023"
    assert undo.action.due.isoformat() == "2023-03-31"
    undo = changes.undo_step(database, author="Ann")
    assert undo.action.status == "off_track"
    assert undo.action.last_note == ""  # the undone change's note no longer stands
    history = queries.plan_history(database)
    assert len(history) == 4
    assert [h.undoes_id for h in history[:2]] == [history[3].id, history[2].id]
    with pytest.raises(NotFoundError, match="Ann has no change left to undo"):
        changes.undo_step(database, author="Ann")


def test_undo_survives_a_restart(db_target: str, database) -> None:
    changes.set_status(database, "1.1.1.2", "on_track", author="Ann", at=AT)
    database.close()
    again = open_database(db_target)
    try:
        assert changes.undo_step(again, author="Ann").action.status == "off_track"
    finally:
        again.close()


def test_undo_takes_back_only_the_callers_own_change(database) -> None:
    changes.set_status(database, "1.1.1.2", "on_track", author="Ann", at=AT)
    changes.set_status(database, "1.1.1.3", "off_track", author="Ben", at=AT)
    result = changes.undo_step(database, author="Ann")
    assert result.action.ref == "1.1.1.2"
    with pytest.raises(NotFoundError, match="Cy has no change left to undo"):
        changes.undo_step(database, author="Cy")


def test_dump_returns_what_was_loaded(database, plan_doc) -> None:
    dumped = dump_document(database)
    assert [a.ref for a in dumped.actions()] == [a.ref for a in plan_doc.actions()]
    assert dumped.findings[1].refs == ["1.2.1", "1.2.2"]
    assert dumped.foreword == plan_doc.foreword


# --- databases a user can get wrong ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01random bytes" * 100, "not a SQLite database"),
        (b"plan,status\n1,red\n", "not a SQLite database"),
    ],
)
def test_not_a_database_is_refused_and_untouched(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=message):
        open_database(path)
    assert path.read_bytes() == content


def test_another_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    with pytest.raises(StoreError, match="another program"):
        open_database(path)


@pytest.mark.sqlite_only
def test_truncated_database_is_refused(db_path: Path, database) -> None:
    database.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = db_path.read_bytes()
    db_path.write_bytes(data[:1500])
    with pytest.raises(StoreError):
        db = open_database(db_path)
        queries.list_actions(db)


def test_newer_schema_is_refused_for_writing(db_target: str, database) -> None:
    with database.write() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    database.close()
    with pytest.raises(StoreError, match=r"newer plantui \(schema 9999"):
        open_database(db_target)


@pytest.mark.sqlite_only
@pytest.mark.skipif(os.geteuid() == 0, reason="root can write read-only files")
def test_read_only_file_refuses_changes(db_path: Path, database) -> None:
    database.close()
    db_path.chmod(0o400)
    db = open_database(db_path)
    try:
        assert db.readonly
        assert len(queries.list_actions(db)) == 7
        with pytest.raises(ReadOnlyError, match="read-only"):
            changes.set_status(db, "1.1.1.2", "on_track", author="Ann")
    finally:
        db.close()


def test_read_only_open_refuses_changes(db_target: str, database) -> None:
    database.close()
    db = open_database(db_target, readonly=True)
    try:
        assert len(queries.list_actions(db)) == 7
        with pytest.raises(ReadOnlyError):
            changes.set_status(db, "1.1.1.2", "on_track", author="Ann")
    finally:
        db.close()


def test_missing_file_without_create(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="does not exist"):
        open_database(tmp_path / "nope.db", create=False)


def test_importing_the_store_creates_nothing(tmp_path: Path, isolated_home: Path) -> None:
    # In a new interpreter: reloading the module here would leave two `Location` classes behind for
    # the tests that run after this one in the same worker.
    import subprocess
    import sys

    code = "import plantui.store.location, plantui.store.database, plantui.store.opening, plantui.store.plans"
    subprocess.run([sys.executable, "-c", code], check=True)
    assert not any(isolated_home.rglob("*plantui*"))
