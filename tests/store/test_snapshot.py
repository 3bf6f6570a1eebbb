"""The snapshot for the workbench's first frame: exactly the values the store gives, read without
SQLAlchemy, and None (never an error) wherever it cannot tell."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from plantui.io.sample import load_sample
from plantui.store import changes, queries
from plantui.store.location import resolve
from plantui.store.opening import open_database
from plantui.store.plans import load_document
from plantui.store.snapshot import read_snapshot
from tests.conftest import mini_plan

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import generate  # benchmarks/ is a folder of scripts, put on the path above


def assert_same_as_store(path: Path) -> None:
    database = open_database(path, daily_backup=False)
    try:
        snapshot = read_snapshot(resolve(path))
        assert snapshot is not None
        assert snapshot.info == queries.plan_info(database)
        assert snapshot.nodes == queries.nodes(database)
        assert snapshot.rows == queries.list_actions(database)
        assert snapshot.latest_history_id == queries.latest_history_id(database)
        assert (snapshot.writable, snapshot.readonly_reason) == (
            not database.readonly,
            database.readonly_reason,
        )
        assert snapshot.display == database.display
    finally:
        database.close()


def test_the_sample_reads_as_the_store_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "sample.db"
    database = open_database(path)
    load_document(database, load_sample())
    changes.set_status(database, "1.1.1.1", "off_track", author="Ann", note="[red]slipping[/]")
    changes.set_milestone(database, "1.1.1.2", "March 2023", author="Ann")
    database.close()
    assert_same_as_store(path)


def test_a_generated_plan_with_history_reads_as_the_store_reads_it(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    assert generate.main(["--actions", "300", "--history", "1500", "--seed", "3", "-o", str(plan)]) == 0
    path = tmp_path / "generated.db"
    from plantui.io.plan_json import read_plan_file

    database = open_database(path)
    load_document(database, read_plan_file(plan))
    database.close()
    assert_same_as_store(path)


def test_markup_in_every_field_reads_as_the_store_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "markup.db"
    database = open_database(path)
    load_document(database, mini_plan(markup=True))
    database.close()
    assert_same_as_store(path)


def test_plan_order_is_kept_where_it_differs_from_the_order_rows_were_added(tmp_path: Path) -> None:
    path = tmp_path / "reordered.db"
    database = open_database(path)
    load_document(database, mini_plan())
    database.close()
    before = read_snapshot(resolve(path))
    with sqlite3.connect(path) as conn:  # as if the whole plan and every lead list had been reversed
        for table in ("theme", "area", "objective", "action", "action_lead"):
            conn.execute(f"UPDATE {table} SET position = -position")
    conn.close()
    after = read_snapshot(resolve(path))
    assert before is not None and after is not None
    assert [row.ref for row in after.rows] == [row.ref for row in reversed(before.rows)]
    assert [row.leads for row in after.rows] == [row.leads[::-1] for row in reversed(before.rows)]
    assert any(len(row.leads) > 1 for row in after.rows)
    assert_same_as_store(path)


def test_it_sees_the_file_as_it_was_when_read(tmp_path: Path) -> None:
    path = tmp_path / "plan.db"
    database = open_database(path)
    load_document(database, mini_plan())
    before = read_snapshot(resolve(path))
    changes.set_status(database, "1.1.1.1", "some_issues", author="Ann")
    database.close()
    after = read_snapshot(resolve(path))
    assert before is not None and after is not None
    assert after.latest_history_id == before.latest_history_id + 1
    assert [r.status for r in before.rows if r.ref == "1.1.1.1"] == ["complete"]
    assert [r.status for r in after.rows if r.ref == "1.1.1.1"] == ["some_issues"]


def test_a_file_it_cannot_write_says_why_as_the_store_does(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "plan.db"
    database = open_database(path)
    load_document(database, mini_plan())
    database.close()
    real_access = os.access

    def no_writing_here(target, mode, **kwargs) -> bool:  # file modes do not stop root: pretend
        if mode == os.W_OK and Path(target) == path:
            return False
        return real_access(target, mode, **kwargs)

    monkeypatch.setattr(os, "access", no_writing_here)
    snapshot = read_snapshot(resolve(path))
    assert snapshot is not None
    assert (snapshot.writable, snapshot.readonly_reason) == (False, " (the file is not writable)")
    assert_same_as_store(path)


def test_it_says_none_where_the_store_must_answer(tmp_path: Path) -> None:
    assert read_snapshot(resolve(tmp_path / "missing.db")) is None
    assert read_snapshot(resolve(tmp_path)) is None  # a folder
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    assert read_snapshot(resolve(junk)) is None
    empty = open_database(tmp_path / "empty.db")  # a store with no plan yet: the sample goes in
    empty.close()
    assert read_snapshot(resolve(tmp_path / "empty.db")) is None
    other = tmp_path / "other.db"  # another program's database
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    assert read_snapshot(resolve(other)) is None
    assert read_snapshot(resolve("postgresql://u@localhost/plans")) is None


def test_an_older_schema_is_left_to_the_store_to_migrate(tmp_path: Path) -> None:
    path = tmp_path / "plan.db"
    database = open_database(path)
    load_document(database, mini_plan())
    database.close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    assert read_snapshot(resolve(path)) is None


def test_reading_it_does_not_import_sqlalchemy() -> None:
    code = "import sys, plantui.store.snapshot; print(sorted({'sqlalchemy', 'sqlmodel'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_status_that_is_no_code_is_left_to_the_store(tmp_path: Path) -> None:
    """The first frame drew a status the store would call unknown, and the workbench ended in a
    traceback; the store's own read says what is wrong in one line."""
    path = tmp_path / "plan.db"
    database = open_database(path)
    load_document(database, mini_plan())
    database.close()
    assert read_snapshot(resolve(path)) is not None
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE action SET status = 'green' WHERE ref = '1.1.1.2'")
    conn.close()
    assert read_snapshot(resolve(path)) is None
