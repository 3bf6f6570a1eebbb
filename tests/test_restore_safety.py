"""Restore, journals and leftovers, with real processes and real files: a restore while other
programs write, journal files left beside a database, a load killed half-way, the `.part` and
`.restore` files a killed backup or restore leaves, and copies read from a read-only folder."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GENERATE = ROOT / "benchmarks" / "generate.py"

# A program that keeps the plan open, as the workbench does, and adds notes to one action flat out
# until its stdin closes, printing `saved NOTE` only after each note is committed.
NOTE_WRITER = """
import sys, threading
from plantui.store.changes import add_note
from plantui.store.database import open_database

db_file, name, ref = sys.argv[1:4]
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
database = open_database(db_file, create=False, daily_backup=False)
n = 0
while not stop.is_set():
    n += 1
    note = f"{name}-{n}"
    try:
        add_note(database, ref, note, author=name)
    except Exception as error:
        print(f"{note}: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
    else:
        print(f"saved {note}", flush=True)
database.close()
"""


def plantui(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "plantui", *args], capture_output=True, text=True, check=False
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def big_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plan of 4,000 actions and 40,000 history rows (10 MB as a database), made once."""
    target = tmp_path_factory.mktemp("plan") / "plan-4k.json"
    subprocess.run(
        [sys.executable, str(GENERATE), "--actions", "4000", "--history", "40000", "--seed", "1"]
        + ["-o", str(target)],
        check=True,
        capture_output=True,
    )
    return target


def notes_in(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("SELECT note FROM history WHERE field = 'note'")}


def history_of(db: Path, *, without_authors: tuple[str, ...] = ()) -> list[tuple]:
    marks = ",".join("?" * len(without_authors)) or "''"
    with sqlite3.connect(db) as conn:
        return sorted(
            conn.execute(
                "SELECT a.ref, h.at, h.author, h.field, h.old, h.new, h.note FROM history h "
                f"JOIN action a ON a.id = h.action_id WHERE h.author NOT IN ({marks})",
                without_authors,
            ).fetchall(),
            key=repr,
        )


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


class NoteWriter:
    """One NOTE_WRITER process, with the notes it reported saved collected as they arrive."""

    def __init__(self, db: Path, name: str, ref: str) -> None:
        self.name = name
        self.saved: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-c", NOTE_WRITER, str(db), name, ref],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            word, note = line.split()
            assert word == "saved"
            self.saved.append(note)

    def wait_for(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(self.saved) < count:
            assert self.process.poll() is None, self.process.stderr.read()
            assert time.monotonic() < deadline, f"{self.name} saved only {len(self.saved)} notes"
            time.sleep(0.01)

    def stop(self) -> str:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)
        self.reader.join(timeout=60)
        return self.process.stderr.read()


# --- item 1: restore while others write --------------------------------------------------------------


@pytest.mark.slow
def test_no_note_saved_during_a_restore_is_lost(big_plan: Path, tmp_path: Path) -> None:
    db = tmp_path / "plan.db"
    copy = tmp_path / "copy.db"
    plantui("--db", str(db), "import", str(big_plan))
    plantui("--db", str(db), "backup", "-o", str(copy))
    refs = ["1.1.1.1", "2.1.1.1", "3.1.1.1", "4.1.1.1"]
    writers = [NoteWriter(db, f"writer{i}", ref) for i, ref in enumerate(refs)]
    try:
        for writer in writers:
            writer.wait_for(20)  # all four are writing when the restore starts
        restored = plantui("--db", str(db), "restore", str(copy))
        after_restore = [len(writer.saved) for writer in writers]
        for writer, count in zip(writers, after_restore, strict=True):
            writer.wait_for(count + 20)  # and keep writing after it
    finally:
        errors = [writer.stop() for writer in writers]
    assert errors == [""] * 4
    assert "the plan it replaced is kept at" in restored.stdout
    before = Path(restored.stdout.rsplit("kept at ", 1)[1].strip())
    saved = {note for writer in writers for note in writer.saved}
    kept_before, kept_after = notes_in(before), notes_in(db)
    lost = saved - kept_before - kept_after
    assert not lost, f"{len(lost)} of {len(saved)} saved notes are in neither copy: {sorted(lost)[:5]}"
    # A note is in one or the other: committed before the restore took the lock, or after it.
    assert not (saved & kept_before & kept_after)
    assert integrity(db) == "ok" and integrity(before) == "ok"
    # The restored plan is the copy's history plus the notes saved after the restore.
    names = tuple(writer.name for writer in writers)
    assert history_of(db, without_authors=names) == history_of(copy)
    for writer, count in zip(writers, after_restore, strict=True):
        assert set(writer.saved[count:]) <= kept_after
