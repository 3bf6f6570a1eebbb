"""File and folder names with URI and shell characters (`# ? % & = ; '`, spaces, non-ASCII) work
through every command that names a file: each is data, never part of a URI's syntax.

Before plantui built its SQLite URIs from paths, `#` in a path made every backup an empty database,
`Plan 100%41.db` wrote into `Plan 100A.db` and `what?.db` into `what`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from plantui.store.location import resolve, sqlite_uri, sqlite_url

ODD_NAMES = [
    "Plan #1.db",
    "what?.db",
    "Plan 100%41.db",
    "a&b=c;d.db",
    "O'Brien's plan.db",
    "Plan Öffentlich – £ 計画.db",
    "%23%3F.db",
]
ODD_FOLDERS = ["folder #2?", "100% & more", "café; 'x'"]


def plantui(db: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "plantui", "--db", str(db), "--today", "2022-11-01", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def history_count(path: Path) -> int:
    conn = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True)
    try:
        return conn.execute("SELECT count(*) FROM history").fetchone()[0]
    finally:
        conn.close()


def only_files(folder: Path) -> set[str]:
    return {entry.name for entry in folder.iterdir()}


@pytest.mark.parametrize("name", ODD_NAMES)
def test_the_url_and_uri_name_exactly_the_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / ODD_FOLDERS[0] / name
    from sqlalchemy.engine import make_url

    assert Path(make_url(sqlite_url(path)).database) == path
    assert resolve(sqlite_url(path)).path == path
    assert resolve(str(path)).url == sqlite_url(path)


@pytest.mark.slow
@pytest.mark.parametrize(("folder", "name"), list(zip(ODD_FOLDERS * 3, ODD_NAMES, strict=False)))
def test_every_command_that_names_a_file_takes_odd_names(tmp_path: Path, folder: str, name: str) -> None:
    home = tmp_path / folder
    home.mkdir()
    db = home / name

    assert plantui(db, "demo").returncode == 0
    assert plantui(db, "set", "1.1.1.2", "--rag", "off_track", "--note", "odd path").returncode == 0
    saved = history_count(db)
    # Only the database, its WAL companions and the backups folder: nothing written to a cut name.
    assert only_files(home) <= {name, f"{name}-wal", f"{name}-shm", "backups"}

    copy = home / f"copy of {name}"
    backed = plantui(db, "backup", "-o", str(copy))
    assert backed.returncode == 0, backed.stderr
    assert history_count(copy) == saved

    stamped = plantui(db, "backup")
    assert stamped.returncode == 0, stamped.stderr
    listed = plantui(db, "backup", "--list")
    assert "manual" in listed.stdout

    assert plantui(db, "set", "1.1.1.2", "--rag", "on_track").returncode == 0
    restored = plantui(db, "restore", str(copy))
    assert restored.returncode == 0, restored.stderr
    assert history_count(db) == saved
    shown = json.loads(plantui(db, "list", "--json").stdout)
    assert next(row for row in shown if row["ref"] == "1.1.1.2")["rag"] == "off_track"

    other = home / f"other {name}"
    copied = plantui(db, "copy", "--to", str(other))
    assert copied.returncode == 0, copied.stderr
    assert history_count(other) == saved

    for fmt, suffix in (("json", ".json"), ("csv", ".csv"), ("xlsx", ".xlsx")):
        out = home / f"export {name}{suffix}"
        exported = plantui(db, "export", "--format", fmt, "-o", str(out))
        assert exported.returncode == 0, exported.stderr
        assert out.stat().st_size > 0

    report = home / f"report {name}.md"
    assert plantui(db, "report", "-o", str(report)).returncode == 0
    assert report.stat().st_size > 0

    reimported = home / f"again {name}"
    imported = plantui(reimported, "import", str(home / f"export {name}.json"))
    assert imported.returncode == 0, imported.stderr
    assert history_count(reimported) == saved


def test_a_sqlite_url_on_the_command_line_is_percent_decoded(tmp_path: Path) -> None:
    db = tmp_path / "Plan one#1.db"
    result = subprocess.run(
        [sys.executable, "-m", "plantui", "--db", sqlite_url(db), "demo"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert db.exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
@pytest.mark.parametrize("command", [["list"], ["set", "1.1.1.1", "--rag", "complete"], ["restore", "FIFO"]])
def test_a_named_pipe_is_never_read_as_a_plan(tmp_path: Path, command: list[str]) -> None:
    """Opening a named pipe to read its header waited for a writer that never came: `--db fifo` and
    `restore fifo` hung for ever. A pipe is refused in one line without being opened."""
    fifo = tmp_path / "plan.db"
    os.mkfifo(fifo)
    db = tmp_path / "store.db"
    if command[0] == "restore":
        assert plantui(db, "demo").returncode == 0
        args = ["restore", str(fifo)]
    else:
        db, args = fifo, command
    result = subprocess.run(
        [sys.executable, "-m", "plantui", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 4, result.stderr
    assert result.stderr.splitlines() == [
        f"plantui: {fifo} is a named pipe (FIFO), not a file, so it is not a plantui database"
        + (
            ": it cannot be restored; nothing was changed"
            if command[0] == "restore"
            else "; nothing was changed"
        )
    ]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
