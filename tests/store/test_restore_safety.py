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

ROOT = Path(__file__).resolve().parents[2]
GENERATE = ROOT / "benchmarks" / "generate.py"

# A program that keeps the plan open, as the workbench does, and adds notes to one action flat out
# until its stdin closes, printing `saved NOTE` only after each note is committed.
NOTE_WRITER = """
import sys, threading
from plantui.store.changes import add_note
from plantui.store.opening import open_database

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
    """A plan of 4,000 actions and 40,000 history rows (10 MB as a database), made once. Without
    measures of impact: the kills below are timed to the load of actions and history as it was."""
    target = tmp_path_factory.mktemp("plan") / "plan-4k.json"
    size = ["--actions", "4000", "--history", "40000", "--seed", "1", "--measures", "0"]
    subprocess.run([sys.executable, str(GENERATE), *size, "-o", str(target)], check=True, capture_output=True)
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


# --- item 2: journal files left behind ---------------------------------------------------------------


# A first load into a file the store's open just made, as the workbench's first run does with the
# sample (`plantui import` and `copy` now build a new file under a hidden name and give it its name
# only when whole, so they leave no such file behind).
FIRST_LOAD = """
import sys
from plantui.io.plan_json import read_plan_file
from plantui.store.opening import open_database
from plantui.store.plans import load_document
load_document(open_database(sys.argv[1]), read_plan_file(sys.argv[2]))
"""


def kill_a_first_load_half_way(plan: Path, db: Path) -> None:
    """Start a first load of `plan` into the new file `db` and SIGKILL it while the load is being
    written (its rollback journal non-empty and the file grown past its empty schema)."""
    journal = Path(f"{db}-journal")
    load = subprocess.Popen(
        [sys.executable, "-c", FIRST_LOAD, str(db), str(plan)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    try:
        while load.poll() is None and time.monotonic() < deadline:
            try:
                # Past 4 MB: the load's first spill writes about 2.7 MB at once (each history row
                # carries its uid and the store that made it) before the header says how big the file
                # is, and a kill there leaves a file that still reads as the sound (empty) plan, not
                # the damaged file these tests are about.
                if journal.stat().st_size > 0 and db.stat().st_size > 4_000_000:
                    load.send_signal(signal.SIGKILL)
                    break
            except FileNotFoundError:
                pass
            time.sleep(0.001)
    finally:
        load.kill()
        load.wait()
    assert load.returncode == -signal.SIGKILL, "the load finished before it could be killed"
    assert journal.stat().st_size > 0


@pytest.mark.slow
def test_a_first_load_killed_half_way_opens_without_help(big_plan: Path, tmp_path: Path) -> None:
    db = tmp_path / "plan.db"
    kill_a_first_load_half_way(big_plan, db)
    listed = plantui("--db", str(db), "list", "--json", check=False)
    # SQLite rolled the load back from its journal: the file is the empty store it was, not "cut short"
    assert listed.stderr.strip() == (
        f"plantui: {db} has no plan yet: run `plantui demo` for the sample, or `plantui import FILE`"
    )
    assert not Path(f"{db}-journal").exists()
    assert integrity(db) == "ok"
    plantui("--db", str(db), "import", str(big_plan))  # and the load can simply be run again
    assert integrity(db) == "ok"


@pytest.mark.slow
def test_restore_over_a_load_killed_half_way_is_not_undone_by_its_journal(
    big_plan: Path, tmp_path: Path
) -> None:
    from plantui.io.plan_json import dumps_plan
    from tests.conftest import mini_plan

    small = tmp_path / "small.json"
    small.write_text(dumps_plan(mini_plan()))
    source = tmp_path / "source.db"
    plantui("--db", str(source), "import", str(small))
    copy = tmp_path / "copy.db"
    plantui("--db", str(source), "backup", "-o", str(copy))
    db = tmp_path / "plan.db"
    kill_a_first_load_half_way(big_plan, db)
    restored = plantui("--db", str(db), "restore", str(copy))
    assert integrity(db) == "ok"
    assert history_of(db) == history_of(copy)
    listed = plantui("--db", str(db), "list", "--json")
    assert listed.stdout.count('"ref"') == 7
    moved = [p for p in (db.parent / "backups").iterdir() if p.name.endswith("-damaged.db-journal")]
    assert len(moved) == 1 and f"moved to {moved[0]}" in restored.stderr
    assert not Path(f"{db}-journal").exists()


def leave_a_stale_wal(db: Path) -> bytes:
    """Changes committed to `db` while a reader holds it open stay in its -wal: return those bytes."""
    reader = sqlite3.connect(db)
    try:
        reader.execute("SELECT count(*) FROM action").fetchone()  # keeps the WAL from being folded in
        for n in range(5):
            plantui("--db", str(db), "set", "1.1.1.2", "--note", f"after the copy {n}", "--author", "Ann")
        return Path(f"{db}-wal").read_bytes()
    finally:
        reader.close()


@pytest.mark.parametrize("how", ["file deleted", "file damaged"])
def test_restore_sets_aside_a_stale_wal_instead_of_replaying_it(how: str, tmp_path: Path) -> None:
    from plantui.io.plan_json import dumps_plan
    from tests.conftest import mini_plan

    small = tmp_path / "small.json"
    small.write_text(dumps_plan(mini_plan()))
    db = tmp_path / "plan.db"
    plantui("--db", str(db), "import", str(small))
    copy = tmp_path / "copy.db"
    plantui("--db", str(db), "backup", "-o", str(copy))
    stale = leave_a_stale_wal(db)
    assert len(stale) > 0 and not Path(f"{db}-wal").exists()
    if how == "file deleted":
        db.unlink()
    else:
        db.write_bytes(b"not a database any more" * 100)
    Path(f"{db}-wal").write_bytes(stale)
    Path(f"{db}-shm").write_bytes(b"\0" * 32768)
    restored = plantui("--db", str(db), "restore", str(copy))
    assert history_of(db) == history_of(copy)  # the restored plan, not the WAL's changes over it
    assert integrity(db) == "ok"
    backups = db.parent / "backups"
    wal = next(backups.glob("*.db-wal"))
    assert wal.read_bytes() == stale  # set aside, never silently deleted
    assert next(backups.glob("*.db-shm")).exists()
    assert f"moved to {wal}" in restored.stderr


# --- item 7: what a killed backup or restore leaves ----------------------------------------------------


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_the_next_backup_and_restore_clear_what_killed_ones_left(tmp_path: Path) -> None:
    from plantui.io.plan_json import dumps_plan
    from tests.conftest import mini_plan

    small = tmp_path / "small.json"
    small.write_text(dumps_plan(mini_plan()))
    db = tmp_path / "plan.db"
    plantui("--db", str(db), "import", str(small))
    plantui("--db", str(db), "backup")
    backups = db.parent / "backups"
    # what a backup and a restore killed two hours ago left, and what ones running now are writing
    old_part = backups / ".plan-20261201T090000.000000Z-manual.db.part"
    old_part_journal = backups / ".plan-20261201T090000.000000Z-manual.db.part-journal"
    new_part = backups / ".plan-20261205T090000.000000Z-daily.db.part"
    old_restore = tmp_path / ".plan.db.0123abcd.restore"
    old_restore_part = tmp_path / ".plan.db.0123abcd.restore.part"
    new_restore = tmp_path / ".plan.db.89abcdef.restore"
    not_ours = [backups / ".notes.txt.part", tmp_path / ".other.db.0123abcd.restore", backups / "x.part"]
    for path in [old_part, old_part_journal, new_part, old_restore, old_restore_part, new_restore, *not_ours]:
        path.write_bytes(b"half a copy")
        age(path, 7200 if path not in (new_part, new_restore) else 5)
    # a slow copy still being written (its writer holds SQLite's lock on it), however old its file
    busy_part = backups / ".plan-20261201T080000.000000Z-manual.db.part"
    writer = sqlite3.connect(busy_part, isolation_level=None)
    writer.execute("CREATE TABLE t (x)")
    writer.execute("BEGIN EXCLUSIVE")
    writer.execute("INSERT INTO t VALUES (1)")
    age(busy_part, 7200)
    try:
        plantui("--db", str(db), "backup")
    finally:
        writer.close()
    assert busy_part.exists()
    assert not old_part.exists() and not old_part_journal.exists()
    assert new_part.exists() and old_restore.exists()  # a restore's files are the next restore's
    busy_part.unlink()
    copy = next(p for p in backups.glob("plan-*-manual.db"))
    plantui("--db", str(db), "restore", str(copy))
    assert not old_restore.exists() and not old_restore_part.exists()
    assert new_part.exists() and new_restore.exists()
    assert all(path.exists() for path in not_ours)
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".plan.db.") and p != new_restore]
    assert left == []  # nor did this restore leave its own


# --- item 15: a WAL file on read-only media -------------------------------------------------------------


@pytest.mark.slow
def test_backup_and_restore_read_a_wal_file_in_a_read_only_folder(tmp_path: Path) -> None:
    from plantui.io.plan_json import dumps_plan
    from tests.conftest import mini_plan
    from tests.faults.fault_checks import unprivileged_prefix

    prefix = unprivileged_prefix()
    small = tmp_path / "small.json"
    small.write_text(dumps_plan(mini_plan()))
    db = tmp_path / "plan.db"
    plantui("--db", str(db), "import", str(small))
    media = tmp_path / "media"
    media.mkdir()
    # The plan copied onto the stick while the workbench had it open: two notes still in its -wal.
    reader = sqlite3.connect(db)
    try:
        reader.execute("SELECT count(*) FROM action").fetchone()
        for n in range(2):
            plantui("--db", str(db), "set", "1.1.1.2", "--note", f"in the wal {n}", "--author", "Ann")
        for suffix in ("", "-wal"):
            Path(f"{media / 'plan.db'}{suffix}").write_bytes(Path(f"{db}{suffix}").read_bytes())
    finally:
        reader.close()
    media.chmod(0o555)
    on_media = media / "plan.db"
    out = tmp_path / "out"
    out.mkdir()

    scratch = tmp_path / "tmp"
    scratch.mkdir(mode=0o777)
    scratch.chmod(0o777)

    def unprivileged(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*prefix, sys.executable, "-m", "plantui", *args],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "TMPDIR": str(scratch)},
        )

    try:
        backed_up = unprivileged("--db", str(on_media), "backup", "-o", str(out / "copy.db"))
        assert backed_up.returncode == 0, backed_up.stderr
        restored = unprivileged("--db", str(out / "restored.db"), "restore", str(on_media))
        assert restored.returncode == 0, restored.stderr
        # Reading it in place shows the changes still in its -wal too (an immutable open skipped them).
        shown = unprivileged("--db", str(on_media), "history", "1.1.1.2")
        assert shown.returncode == 0, shown.stderr
        assert "in the wal 1" in shown.stdout
        assert sorted(media.iterdir()) == [on_media, Path(f"{on_media}-wal")]  # nothing written there
        assert list(scratch.iterdir()) == []  # the private copies read meanwhile are gone
    finally:
        media.chmod(0o755)
    expected = {"in the wal 0", "in the wal 1"}
    assert notes_in(out / "copy.db") >= expected
    assert notes_in(out / "restored.db") >= expected
    assert integrity(out / "copy.db") == integrity(out / "restored.db") == "ok"


# --- item 1 on a database server: the plan `import --force` or `copy --force` replaces is kept ------


@pytest.mark.postgres
@pytest.mark.parametrize("command", ["import", "copy"])
def test_a_plan_replaced_on_a_server_is_kept_in_the_backups_folder(
    command: str, pg_url: str, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from plantui.cli.main import cli
    from plantui.io.plan_json import dumps_plan
    from plantui.store.location import default_path
    from tests.conftest import mini_plan

    def run(*args: str):
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        return result

    plan = tmp_path / "plan.json"
    plan.write_text(dumps_plan(mini_plan()))
    run("--db", pg_url, "import", str(plan))
    run("--db", pg_url, "set", "1.1.1.2", "--note", "only on the server", "--author", "Ann")
    if command == "import":
        replaced = run("--db", pg_url, "import", "--force", str(plan))
    else:
        laptop = tmp_path / "laptop.db"
        run("--db", str(laptop), "import", str(plan))
        replaced = run("copy", "--from", str(laptop), "--to", pg_url, "--force")
    kept = Path(replaced.stderr.split("the plan it replaced is kept at ", 1)[1].split(" (")[0])
    assert kept.parent == default_path().parent / "backups"
    assert kept.name.endswith("-before-replace.db") and oct(kept.stat().st_mode & 0o777) == "0o600"
    assert "only on the server" in notes_in(kept)
    assert integrity(kept) == "ok"
    # and it goes back with the command the message names
    run("copy", "--from", str(kept), "--to", pg_url, "--force")
    listed = run("--db", pg_url, "history", "1.1.1.2")
    assert "only on the server" in listed.stdout


def test_restore_through_a_symbolic_link_restores_the_file_it_names(tmp_path: Path) -> None:
    """A damaged store reached through a link: the restored copy replaces the file the link names,
    and the link stays a link (before, the link itself became a regular file and the plan it named
    stayed damaged)."""
    from plantui.io.plan_json import dumps_plan
    from tests.conftest import mini_plan

    small = tmp_path / "small.json"
    small.write_text(dumps_plan(mini_plan()))
    real = tmp_path / "real.db"
    plantui("--db", str(real), "import", str(small))
    copy = tmp_path / "copy.db"
    plantui("--db", str(real), "backup", "-o", str(copy))
    link = tmp_path / "link.db"
    link.symlink_to(real)
    real.write_bytes(os.urandom(5000))  # damaged
    plantui("--db", str(link), "restore", str(copy))
    assert link.is_symlink() and link.resolve() == real
    assert integrity(real) == "ok"
