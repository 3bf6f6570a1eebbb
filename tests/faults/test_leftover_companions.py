"""A plan file deleted by hand can leave its `-wal` (and `-shm`, `-journal`) behind: deleted while the
workbench had it open, or after a crash. SQLite does not tie a `-wal` to the file it was written for,
so a new plan made under the same name took the old file's pages from it on the next open and read as
damaged ("a database of another program"). A new file now sets such leftovers aside first: the one
with something in it is kept under a new name and said so in one line; nothing is lost.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from plantui.store.opening import open_database
from tests.conftest import stored_plan


def stale_wal(folder: Path, name: str) -> bytes:
    """Leave beside `folder/name` the `-wal` of an earlier, now deleted file of that name, holding
    pages a writer never checkpointed, and an `-shm` beside it. Returns the `-wal`'s bytes."""
    other = folder / "earlier" / name
    other.parent.mkdir()
    conn = sqlite3.connect(other)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("CREATE TABLE notes (body BLOB)")
    conn.execute("INSERT INTO notes VALUES (randomblob(60000))")
    conn.commit()
    wal = Path(f"{other}-wal").read_bytes()
    conn.close()
    Path(f"{folder / name}-wal").write_bytes(wal)
    Path(f"{folder / name}-shm").write_bytes(b"\0" * 32768)
    return wal


def plantui(db: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "plantui", "--db", str(db), "--today", "2022-11-01", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def kept_copies(folder: Path, name: str) -> list[Path]:
    return sorted(folder.glob(f"{name}-wal.left-*"))


def whole(path: Path) -> bool:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


@pytest.mark.parametrize("command", ["demo", "copy"])
def test_a_new_plan_file_sets_aside_what_an_earlier_file_of_its_name_left(
    tmp_path: Path, command: str
) -> None:
    path = tmp_path / "plan.db"
    wal = stale_wal(tmp_path, "plan.db")
    if command == "demo":
        made = plantui(path, "demo")
    else:
        source = stored_plan(tmp_path / "source.db")
        made = plantui(source, "copy", "--to", str(path))
    assert made.returncode == 0, made.stderr
    kept = kept_copies(tmp_path, "plan.db")
    assert len(kept) == 1 and kept[0].read_bytes() == wal  # nothing thrown away
    assert made.stderr.splitlines() == [
        f"plantui: {path}-wal was left from an earlier plan.db that is gone; kept as {kept[0].name} "
        "so the new file starts clean"
    ]
    listed = plantui(path, "list")
    assert listed.returncode == 0, listed.stderr
    assert whole(path)


def test_a_store_made_by_opening_a_new_name_starts_clean_and_says_why(tmp_path: Path) -> None:
    path = tmp_path / "plan.db"
    wal = stale_wal(tmp_path, "plan.db")
    Path(f"{path}-journal").write_bytes(b"")  # an empty journal holds nothing: simply removed
    database = open_database(path)
    try:
        (kept,) = kept_copies(tmp_path, "plan.db")
        assert kept.read_bytes() == wal
        assert database.notices == [
            f"{path}-wal was left from an earlier plan.db that is gone; kept as {kept.name} "
            "so the new file starts clean"
        ]
    finally:
        database.close()
    assert not Path(f"{path}-journal").exists()
    reopened = open_database(path)
    reopened.close()
    assert whole(path)


def test_without_leftovers_a_new_file_says_nothing(tmp_path: Path) -> None:
    path = tmp_path / "plan.db"
    made = plantui(path, "demo")
    assert made.returncode == 0 and made.stderr == ""
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("plan.db")) == ["plan.db"]


def test_the_companions_of_a_file_that_is_there_are_never_moved(tmp_path: Path) -> None:
    """Should another program make the file between the check and the naming, its `-wal` is its own
    (changes it has not yet checkpointed): it stays where SQLite looks for it."""
    from plantui.store.sqlite_file import set_aside_leftovers

    path = tmp_path / "plan.db"
    wal = stale_wal(tmp_path, "plan.db")
    path.write_bytes(b"")
    assert set_aside_leftovers(path) == []
    assert Path(f"{path}-wal").read_bytes() == wal and Path(f"{path}-shm").exists()
