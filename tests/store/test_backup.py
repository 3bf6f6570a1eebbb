"""Backups and restore: `plantui backup` and `plantui restore`, the daily copy on open and its
pruning, and the privacy of every copy (0600 files in a 0700 folder)."""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from plantui.cli.main import cli
from plantui.domain.errors import InputError, NotFoundError
from plantui.store import changes, queries
from plantui.store.backup import backup_folder, backups_of, newest_backup, prune_backups
from plantui.store.opening import open_database
from plantui.store.plans import dump_document
from plantui.store.restore import restore_file
from plantui.store.sqlite_file import check_backup_file

STAMPED = re.compile(r"^plan-\d{8}T\d{6}\.\d{6}Z-(?P<reason>[a-z0-9-]+)\.db$")


@pytest.fixture
def database(db_path: Path):
    """The small plan in a SQLite file (this module is about files, so it runs on SQLite only)."""
    from plantui.store.plans import load_document
    from tests.conftest import mini_plan

    db = open_database(db_path)
    load_document(db, mini_plan())
    yield db
    db.close()


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


def mode(path: Path) -> str:
    return oct(path.stat().st_mode & 0o777)


def statuses(path: Path) -> dict[str, str]:
    db = open_database(path, daily_backup=False)
    try:
        return {row.ref: row.status for row in queries.list_actions(db)}
    finally:
        db.close()


def fake_copy(db_path: Path, taken: datetime, reason: str) -> Path:
    """A copy in the backups folder as if taken at `taken`."""
    folder = backup_folder(db_path)
    folder.mkdir(mode=0o700, exist_ok=True)
    target = folder / f"{db_path.stem}-{taken.strftime('%Y%m%dT%H%M%S.%fZ')}-{reason}.db"
    with sqlite3.connect(db_path) as src, sqlite3.connect(target) as dest:
        src.backup(dest)
    return target


# --- plantui backup -----------------------------------------------------------------------------------


def test_backup_goes_to_a_private_stamped_file_in_a_private_folder(database, db_path: Path) -> None:
    database.close()
    result = run("--db", str(db_path), "backup")
    [copy] = backup_folder(db_path).iterdir()
    assert STAMPED.match(copy.name)["reason"] == "manual"
    assert result.stdout.startswith(f"Backed up {db_path} to {copy} (")
    assert mode(backup_folder(db_path)) == "0o700" and mode(copy) == "0o600"
    with sqlite3.connect(copy) as conn:  # one self-contained file, nothing beside it to lose
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert sorted(p.name for p in copy.parent.iterdir()) == [copy.name]
    assert statuses(copy) == statuses(db_path)


def test_backup_to_a_named_file(database, db_path: Path, tmp_path: Path) -> None:
    database.close()
    target = tmp_path / "elsewhere" / "copy.db"
    target.parent.mkdir()
    run("--db", str(db_path), "backup", "-o", str(target))
    assert mode(target) == "0o600"
    assert statuses(target) == statuses(db_path)
    assert not backup_folder(db_path).exists()  # the first open of the day did not add one either


def test_backup_is_consistent_while_another_connection_is_mid_change(database, db_path: Path) -> None:
    changes.set_status(database, "1.1.1.2", "on_track", author="Ann")
    with database.write() as conn:  # a change under way, not yet committed, holding the write lock
        conn.exec_driver_sql("UPDATE action SET status = 'complete' WHERE ref = '1.1.1.3'")
        run("--db", str(db_path), "backup", "-o", str(db_path.with_name("copy.db")))
    copy = statuses(db_path.with_name("copy.db"))
    assert copy["1.1.1.2"] == "on_track"  # the committed change is in the copy
    assert copy["1.1.1.3"] == "on_track"  # the uncommitted one is not
    assert statuses(db_path)["1.1.1.3"] == "complete"


def test_backup_refuses_to_overwrite_the_database_or_other_files_and_needs_one(
    database, db_path: Path, tmp_path
) -> None:
    database.close()
    result = run("--db", str(db_path), "backup", "-o", str(db_path), ok=False)
    assert result.exit_code == 2 and "cannot overwrite the database itself" in result.stderr
    notes = tmp_path / "notes.txt"
    notes.write_text("minutes of the board")
    clobber = run("--db", str(db_path), "backup", "-o", str(notes), ok=False)
    assert clobber.exit_code == 2 and "exists and is not a database" in clobber.stderr
    assert notes.read_text() == "minutes of the board"
    missing = run("--db", str(tmp_path / "none.db"), "backup", ok=False)
    assert missing.exit_code == 3 and "none.db does not exist" in missing.stderr
    assert not (tmp_path / "none.db").exists()


def test_backup_list_shows_newest_first(database, db_path: Path) -> None:
    database.close()
    old = fake_copy(db_path, datetime(2022, 10, 1, 9, 0, tzinfo=UTC), "daily")
    run("--db", str(db_path), "backup")
    lines = run("--db", str(db_path), "backup", "--list").stdout.splitlines()
    assert len(lines) == 2
    assert "manual" in lines[0] and lines[1].startswith("2022-10-01 09:00  daily") and str(old) in lines[1]


# --- plantui restore ----------------------------------------------------------------------------------


def test_restore_puts_a_copy_back_and_keeps_what_it_replaced(database, db_path: Path) -> None:
    database.close()
    run("--db", str(db_path), "backup")
    [copy] = backups_of(db_path)
    run("--db", str(db_path), "set", "1.1.1.2", "--rag", "complete", "--author", "Ann")
    result = run("--db", str(db_path), "restore", str(copy.path))
    replaced = next(c for c in backups_of(db_path) if c.reason == "before-restore")
    assert result.stdout == (
        f"Restored {db_path} from {copy.path}; the plan it replaced is kept at {replaced.path}\n"
    )
    assert statuses(db_path)["1.1.1.2"] == "off_track"
    assert statuses(replaced.path)["1.1.1.2"] == "complete"  # the restore can itself be undone
    assert mode(db_path) == "0o600" and mode(replaced.path) == "0o600"
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_restore_reaches_a_process_that_has_the_database_open(database, db_path: Path) -> None:
    copy = db_path.with_name("copy.db")
    run("--db", str(db_path), "backup", "-o", str(copy))
    changes.set_status(database, "1.1.1.2", "complete", author="Ann")
    run("--db", str(db_path), "restore", str(copy))
    # the open Database (a running workbench) reads the restored plan on its next query
    assert queries.get_action(database, "1.1.1.2").status == "off_track"
    assert changes.set_status(database, "1.1.1.2", "on_track", author="Ann").entry is not None


def test_restore_into_a_new_place(database, db_path: Path, tmp_path: Path) -> None:
    database.close()
    copy = tmp_path / "copy.db"
    run("--db", str(db_path), "backup", "-o", str(copy))
    fresh = tmp_path / "new" / "plan.db"
    result = run("--db", str(fresh), "restore", str(copy))
    assert result.stdout == f"Restored {fresh} from {copy}\n"
    assert statuses(fresh) == statuses(db_path)
    assert mode(fresh) == "0o600" and mode(fresh.parent) == "0o700"


def test_restore_over_a_damaged_file_sets_it_aside(database, db_path: Path, tmp_path: Path) -> None:
    database.close()
    copy = tmp_path / "copy.db"
    run("--db", str(db_path), "backup", "-o", str(copy))
    db_path.write_bytes(b"half a file")
    run("--db", str(db_path), "restore", str(copy))
    [damaged] = [c for c in backups_of(db_path) if c.reason == "damaged"]
    assert damaged.path.read_bytes() == b"half a file" and mode(damaged.path) == "0o600"
    assert statuses(db_path) == statuses(copy)
    assert newest_backup(db_path) is None  # a damaged file is never offered as the way back


def _spoilt_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[4096 * 2 : 4096 * 2 + 200] = b"\xff" * 200  # a b-tree page's header, trampled
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        (
            lambda p: p.write_bytes(b""),
            "is empty (zero bytes), so it is not a plantui database: it cannot be restored",
        ),
        (
            lambda p: p.write_bytes(b"\x00garbage" * 999),
            "is not a SQLite database, so it is not a plantui database: it cannot be restored",
        ),
        (lambda p: p.write_bytes(p.read_bytes()[:9000]), "is cut short (9000 of"),
        (_spoilt_page, "nothing was changed"),
        (
            lambda p: sqlite3.connect(p).execute("DROP TABLE history").connection.commit(),
            "is a database of another program",
        ),
        (
            lambda p: (
                sqlite3.connect(p)
                .execute("UPDATE alembic_version SET version_num='0777'")
                .connection.commit()
            ),
            "was made by a newer plantui (schema 0777; this plantui knows up to",
        ),
    ],
    ids=["zero-length", "random", "truncated", "damaged-page", "other-program", "newer"],
)
def test_restore_checks_the_copy_before_touching_anything(
    database, db_path: Path, tmp_path, spoil, words
) -> None:
    database.close()
    copy = tmp_path / "copy.db"
    run("--db", str(db_path), "backup", "-o", str(copy))
    run("--db", str(db_path), "set", "1.1.1.2", "--rag", "complete", "--author", "Ann")
    spoil(copy)
    before = db_path.read_bytes()
    listing = sorted(p.name for p in tmp_path.rglob("*"))
    result = run("--db", str(db_path), "restore", str(copy), ok=False)
    assert result.exit_code == 4
    [line] = result.stderr.splitlines()
    assert line.startswith(f"plantui: {copy} ") and words in line
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.rglob("*")) == listing


def test_check_backup_file_names_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="does not exist"):
        check_backup_file(tmp_path / "nope.db")
    with pytest.raises(InputError, match="is a folder, not a plantui database"):
        check_backup_file(tmp_path)


def test_restore_of_the_database_onto_itself_is_refused(database, db_path: Path) -> None:
    database.close()
    result = run("--db", str(db_path), "restore", str(db_path), ok=False)
    assert "is the database itself" in result.stderr
    with pytest.raises(InputError, match="is the database itself"):
        restore_file(db_path, db_path)


# --- the daily copy -------------------------------------------------------------------------------


def test_first_open_of_the_day_takes_one_copy(database, db_path: Path) -> None:
    database.close()
    assert not backup_folder(db_path).exists()  # never for a new database
    open_database(db_path).close()
    [copy] = backups_of(db_path)
    assert copy.reason == "daily" and mode(copy.path) == "0o600"
    assert mode(backup_folder(db_path)) == "0o700"
    open_database(db_path).close()
    run("--db", str(db_path), "set", "1.1.1.2", "--rag", "complete", "--author", "Ann")
    assert len(backups_of(db_path)) == 1  # once a day
    assert statuses(copy.path)["1.1.1.2"] == "off_track"  # the day as it began


def test_a_copy_from_yesterday_does_not_count_for_today(database, db_path: Path) -> None:
    database.close()
    fake_copy(db_path, datetime.now(UTC) - timedelta(days=1, hours=1), "daily")
    open_database(db_path).close()
    assert [c.reason for c in backups_of(db_path)] == ["daily", "daily"]


def test_no_daily_copy_of_an_empty_database_or_a_read_only_open(db_path: Path, database) -> None:
    empty = db_path.with_name("empty.db")
    open_database(empty).close()
    open_database(empty).close()
    assert backups_of(empty) == []
    database.close()
    open_database(db_path, readonly=True).close()
    assert backups_of(db_path) == []


def test_only_the_newest_automatic_copies_are_kept(database, db_path: Path) -> None:
    database.close()
    start = datetime(2022, 9, 1, 8, 0, tzinfo=UTC)
    for day in range(12):
        fake_copy(db_path, start + timedelta(days=day), "daily")
    fake_copy(db_path, start + timedelta(days=3, hours=1), "before-schema-0002")
    mine = fake_copy(db_path, start, "manual")
    aside = fake_copy(db_path, start, "before-restore")
    open_database(db_path, backups_keep=5).close()
    copies = backups_of(db_path)
    automatic = [c for c in copies if c.automatic]
    assert len(automatic) == 5
    assert automatic[-1].taken.date() == datetime.now(UTC).date()  # today's is among them
    assert automatic[0].taken == start + timedelta(days=8)  # the oldest four and the schema copy went
    assert mine.exists() and aside.exists()  # copies a user asked for are theirs to delete
    assert prune_backups(db_path, 5) == []


def test_the_copy_just_taken_is_kept_after_the_clock_was_set_back(database, db_path: Path) -> None:
    """Copies stamped by a clock that ran ahead (here, in 2099) sort newer than today's: pruning kept
    them and deleted the copy it had just taken, so the day had no copy at all."""
    database.close()
    ahead = datetime(2099, 1, 1, 8, 0, tzinfo=UTC)
    for day in range(12):
        fake_copy(db_path, ahead + timedelta(days=day), "daily")
    open_database(db_path, backups_keep=5).close()
    automatic = [c for c in backups_of(db_path) if c.automatic]
    assert len(automatic) == 5
    assert automatic[0].taken.date() == datetime.now(UTC).date()  # today's, sorted first, still there


def test_the_cli_keeps_as_many_as_the_setting_says(database, db_path: Path) -> None:
    database.close()
    for day in range(6):
        fake_copy(db_path, datetime(2022, 9, 1 + day, tzinfo=UTC), "daily")
    run("--author", "Ann", "--db", str(db_path), "list")  # the default keeps 10
    assert len(backups_of(db_path)) == 7
    from plantui.io.settings import save_setting

    save_setting("backups_keep", 3)
    for day in range(6):
        fake_copy(db_path, datetime.now(UTC) - timedelta(days=3 + day), "daily")
    os.remove(backups_of(db_path)[-1].path)  # today's, so that the next open takes one again
    run("--db", str(db_path), "list")
    assert len(backups_of(db_path)) == 3


def test_a_copy_that_cannot_be_taken_does_not_stop_the_day(database, db_path: Path) -> None:
    database.close()
    backup_folder(db_path).write_text("a file where the folder should be")
    result = run("--db", str(db_path), "list")
    folder = backup_folder(db_path)
    notice = f"plantui: today's backup was not taken: the backups folder {folder} is not a folder"
    assert notice in result.stderr
    assert newest_backup(db_path) is None


def test_dump_of_a_copy_matches_the_database(database, db_path: Path) -> None:
    changes.add_note(database, "1.1.1.2", "before the copy", author="Ann")
    database.close()
    run("--db", str(db_path), "backup")
    [copy] = backups_of(db_path)
    original, copied = open_database(db_path), open_database(copy.path, readonly=True)
    try:
        assert dump_document(copied) == dump_document(original)
    finally:
        original.close()
        copied.close()


def test_a_damaged_database_gets_no_daily_copy_and_is_reported(database, db_path: Path) -> None:
    database.close()
    run("--db", str(db_path), "backup")
    [good] = backups_of(db_path)
    with sqlite3.connect(db_path) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'action'").fetchone()[0]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(db_path.read_bytes())
    data[(root - 1) * page_size : (root - 1) * page_size + 100] = b"\xff" * 100
    db_path.write_bytes(bytes(data))
    result = run("--db", str(db_path), "list", ok=False)
    assert result.exit_code == 4
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"plantui: today's backup was not taken: {db_path} is damaged (")
    assert lines[-1].startswith(f"plantui: {db_path} is damaged (")
    for line in lines:
        assert line.endswith(f"the newest backup is {good.path} (plantui restore {good.path})")
    assert backups_of(db_path) == [good]  # the damaged copy was not kept


@pytest.mark.parametrize("command", [("backup",), ("backup", "--list"), ("restore", "copy.db")])
def test_a_database_server_is_backed_up_with_its_own_tools(command) -> None:
    result = run("--db", "postgresql://plantui@db.invalid/plans", *command, ok=False)
    assert result.exit_code == 4
    [line] = result.stderr.splitlines()
    assert line.startswith("plantui: postgresql")  # the URL as plantui names it (driver included)
    assert line.endswith("@db.invalid/plans is a database server: back it up with its own tools")
