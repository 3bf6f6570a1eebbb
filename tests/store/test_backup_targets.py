"""Where `plantui backup` may write: never over another plan without --force, never leaving an old
-wal, -shm or -journal beside a new copy, never onto a device, pipe or socket or through a link, never
over the store or its own companions; a backups folder another user could have planted is refused;
and a full disk is said in those words."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import event

from plantui.cli.main import cli
from plantui.domain.errors import StoreError
from plantui.store import changes
from plantui.store.backup import backup_folder, backups_of, newest_backup
from plantui.store.opening import open_database
from plantui.store.plans import dump_document
from tests.conftest import stored_plan


def plan_file(path: Path) -> Path:
    return stored_plan(path)


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def one_line(result) -> str:
    assert result.exit_code != 0, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def error_after_notices(result) -> str:
    """The one error line of a command that may first say why today's copy was not taken."""
    assert result.exit_code != 0, result.output
    *notices, error = result.stderr.splitlines()
    assert all(n.startswith("plantui: today's backup was not taken: ") for n in notices), result.stderr
    assert all("disk full" in n for n in notices), result.stderr
    return error


def digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def files(folder: Path) -> dict[str, str | None]:
    return {p.name: digest(p) for p in sorted(folder.iterdir())}


# A process that writes into a SQLite file in WAL mode and dies without closing it: its -wal (with
# committed frames not yet in the file) and -shm stay behind, as after a crash or a kill -9.
DIES_IN_WAL = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA wal_autocheckpoint = 0")
conn.execute("CREATE TABLE IF NOT EXISTS scratch (x)")
for _ in range(100):
    conn.execute("INSERT INTO scratch VALUES (randomblob(1000))")
conn.commit()
os._exit(0)
"""

# One that dies half-way through a large transaction in rollback-journal mode: a hot -journal.
DIES_MID_TRANSACTION = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode = DELETE")
conn.execute("PRAGMA cache_size = 10")
conn.execute("CREATE TABLE scratch (x)")
conn.execute("BEGIN")
conn.execute(
    "INSERT INTO scratch SELECT randomblob(2000) FROM "
    "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) SELECT i FROM n)"
)
os._exit(0)
"""


def crashed_writer(script: str, path: Path, *leftovers: str) -> None:
    subprocess.run([sys.executable, "-c", script, str(path)], check=True, timeout=60)
    for suffix in leftovers:
        assert Path(f"{path}{suffix}").stat().st_size > 0, suffix


# --- item 3: an existing target -----------------------------------------------------------------------


def test_backup_over_another_plan_is_refused_without_force(tmp_path: Path) -> None:
    store = plan_file(tmp_path / "plan.db")
    other = tmp_path / "other.db"
    crashed_writer(DIES_IN_WAL, other, "-wal")
    before = files(tmp_path)
    line = one_line(run("--db", str(store), "backup", "-o", str(other)))
    assert line == f"plantui: {other} exists: add --force to replace it; nothing was changed"
    assert files(tmp_path) == before


@pytest.mark.parametrize(
    ("script", "leftovers"),
    [(DIES_IN_WAL, ("-wal", "-shm")), (DIES_MID_TRANSACTION, ("-journal",))],
    ids=["stale-wal", "hot-journal"],
)
def test_backup_force_replaces_a_database_and_leaves_no_old_companion(
    tmp_path: Path, script: str, leftovers: tuple[str, ...]
) -> None:
    store = plan_file(tmp_path / "plan.db")
    other = tmp_path / "other.db"
    crashed_writer(script, other, *leftovers)
    result = run("--db", str(store), "backup", "-o", str(other), "--force")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("other")) == ["other.db"]
    with sqlite3.connect(other) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'scratch'").fetchone() == (0,)
    conn.close()
    original, copy = open_database(store), open_database(other, readonly=True)
    try:
        assert dump_document(copy) == dump_document(original)
    finally:
        original.close()
        copy.close()
    assert oct(other.stat().st_mode & 0o777) == "0o600"


@pytest.fixture
def held_open(tmp_path: Path) -> Iterator[Path]:
    """A plan another process has open (as the workbench would), until the test ends."""
    path = plan_file(tmp_path / "other.db")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from plantui.store.opening import open_database\n"
            "db = open_database(sys.argv[1], daily_backup=False)\n"
            "with db.read() as conn: conn.exec_driver_sql('SELECT count(*) FROM action').all()\n"
            "print('open', flush=True); sys.stdin.read(); db.close()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        yield path
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)


@pytest.mark.slow
def test_backup_force_refuses_a_database_another_process_has_open(tmp_path: Path, held_open: Path) -> None:
    store = plan_file(tmp_path / "plan.db")
    before = files(tmp_path)
    line = one_line(run("--db", str(store), "backup", "-o", str(held_open), "--force"))
    assert (
        line
        == f"plantui: {held_open} is in use by another program: close it there first; nothing was changed"
    )
    assert files(tmp_path) == before  # its -wal and -shm too, which it is using


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("plan.db", "a backup cannot overwrite the database itself"),
        ("plan.db-wal", "is the database's own write-ahead log: a backup cannot overwrite it"),
        ("plan.db-shm", "is the database's own shared-memory file: a backup cannot overwrite it"),
        ("plan.db-journal", "is the database's own rollback journal: a backup cannot overwrite it"),
    ],
    ids=["store", "wal", "shm", "journal"],
)
def test_backup_never_writes_over_the_store_or_its_companions(tmp_path: Path, name: str, words: str) -> None:
    store = plan_file(tmp_path / "plan.db")
    before = files(tmp_path)
    line = one_line(run("--db", str(store), "backup", "-o", str(tmp_path / name), "--force"))
    assert line.startswith(f"plantui: {tmp_path / name}") and words in line
    assert files(tmp_path) == before
    roundabout = tmp_path / "sub" / ".." / name  # the same file, named another way
    (tmp_path / "sub").mkdir()
    assert words in one_line(run("--db", str(store), "backup", "-o", str(roundabout), "--force"))


def test_a_hard_link_to_the_store_is_the_store(tmp_path: Path) -> None:
    store = plan_file(tmp_path / "plan.db")
    os.link(store, tmp_path / "alias.db")
    line = one_line(run("--db", str(store), "backup", "-o", str(tmp_path / "alias.db"), "--force"))
    assert "a backup cannot overwrite the database itself" in line


# --- item 4: devices, pipes, sockets and links ------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_backup_onto_a_fifo_is_refused_and_the_fifo_stays(tmp_path: Path) -> None:
    store = plan_file(tmp_path / "plan.db")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = subprocess.run(  # a real process, with a timeout: opening a FIFO to write would block
        [sys.executable, "-m", "plantui", "--db", str(store), "backup", "-o", str(fifo), "--force"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stderr.splitlines() == [
        f"plantui: {fifo} is a named pipe (FIFO), not a regular file: a backup is a database file of its "
        "own and is never written onto one; nothing was changed"
    ]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_backup_onto_a_device_node_is_refused_and_the_device_stays(tmp_path: Path) -> None:
    store = plan_file(tmp_path / "plan.db")
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # the null device, in a temp folder
    except (PermissionError, AttributeError, OSError) as error:
        pytest.skip(f"cannot make a device node here: {error}")
    line = one_line(run("--db", str(store), "backup", "-o", str(device), "--force"))
    assert line == (
        f"plantui: {device} is a character device, not a regular file: a backup is a database file of "
        "its own and is never written onto one; nothing was changed"
    )
    status = os.lstat(device)
    assert stat.S_ISCHR(status.st_mode) and status.st_rdev == os.makedev(1, 3)


@pytest.mark.parametrize("points_at", ["nothing", "a database", "the store"])
def test_backup_through_a_symlink_is_refused(tmp_path: Path, points_at: str) -> None:
    store = plan_file(tmp_path / "plan.db")
    elsewhere = {"nothing": tmp_path / "absent.db", "a database": tmp_path / "kept.db", "the store": store}[
        points_at
    ]
    if points_at == "a database":
        plan_file(elsewhere)
    link = tmp_path / "link.db"
    link.symlink_to(elsewhere)
    before = files(tmp_path)
    line = one_line(run("--db", str(store), "backup", "-o", str(link), "--force"))
    assert line == (
        f"plantui: {link} is a symbolic link: a backup never writes through a link (name the file "
        "itself); nothing was changed"
    )
    assert files(tmp_path) == before and link.is_symlink()


def test_backup_to_standard_output_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = plan_file(tmp_path / "plan.db")
    monkeypatch.chdir(tmp_path)  # where a file named "-" would have been written
    line = one_line(run("--db", str(store), "backup", "-o", "-"))
    assert line == "plantui: a backup is a database file, not text for standard output: name a file with -o"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.db"]


# --- item 13: the backups folder ----------------------------------------------------------------------


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Path, Path]:
    """A plan whose `backups` folder is a symbolic link to a folder someone else chose."""
    store = plan_file(tmp_path / "home" / "plan.db")
    shutil.rmtree(backup_folder(store), ignore_errors=True)
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    backup_folder(store).symlink_to(theirs)
    return store, theirs


def linked_words(store: Path) -> str:
    return (
        f"the backups folder {backup_folder(store)} is a symbolic link, and plantui never follows one for "
        "its copies: no copy was written there; nothing was changed"
    )


def test_backup_refuses_a_symlinked_backups_folder(planted) -> None:
    store, theirs = planted
    assert one_line(run("--db", str(store), "backup")) == f"plantui: {linked_words(store)}"
    assert one_line(run("--db", str(store), "backup", "--list")) == f"plantui: {linked_words(store)}"
    assert list(theirs.iterdir()) == []


def test_a_symlinked_backups_folder_gets_no_daily_copy_and_the_day_goes_on(planted) -> None:
    store, theirs = planted
    with sqlite3.connect(store) as conn:  # a plan with a change, whose day has no copy yet
        conn.execute("UPDATE action SET status = 'complete' WHERE ref = '1.1.1.1'")
    conn.close()
    result = run("--db", str(store), "list")
    assert result.exit_code == 0, result.stderr
    assert f"plantui: today's backup was not taken: {linked_words(store)}" in result.stderr.splitlines()
    assert list(theirs.iterdir()) == []


def test_a_copy_in_a_symlinked_folder_is_never_offered(planted) -> None:
    store, theirs = planted
    with (
        sqlite3.connect(store) as src,
        sqlite3.connect(theirs / "plan-20260101T000000.000000Z-daily.db") as dest,
    ):
        src.backup(dest)
    src.close()
    dest.close()
    assert backups_of(store) == [] and newest_backup(store) is None


def test_restore_refuses_a_symlinked_backups_folder_for_its_safety_copy(planted, tmp_path: Path) -> None:
    store, theirs = planted
    incoming = plan_file(tmp_path / "incoming.db")
    database = open_database(incoming, daily_backup=False)
    changes.add_note(database, "1.1.1.1", "only in the incoming copy", author="Ann")
    database.close()
    with sqlite3.connect(incoming) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = digest(store)
    line = one_line(run("--db", str(store), "restore", str(incoming)))
    assert line == f"plantui: {linked_words(store)}"
    assert digest(store) == before
    assert list(theirs.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX ownership and modes")
def test_a_backups_folder_writable_by_others_is_refused(tmp_path: Path) -> None:
    store = plan_file(tmp_path / "plan.db")
    folder = backup_folder(store)
    folder.mkdir(exist_ok=True)
    folder.chmod(0o777)
    line = one_line(run("--db", str(store), "backup"))
    assert line == (
        f"plantui: the backups folder {folder} can be written by other users (mode 777; chmod 700 it): "
        "no copy was written there; nothing was changed"
    )
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX ownership")
def test_a_backups_folder_of_another_user_is_refused(tmp_path: Path) -> None:
    store = plan_file(tmp_path / "plan.db")
    folder = backup_folder(store)
    folder.mkdir(exist_ok=True)
    try:
        os.chown(folder, os.getuid() + 1, -1)
    except PermissionError as error:
        pytest.skip(f"cannot give a folder to another user here (not root): {error}")
    line = one_line(run("--db", str(store), "backup"))
    assert line == (
        f"plantui: the backups folder {folder} belongs to another user: no copy was written there; "
        "nothing was changed"
    )
    assert list(folder.iterdir()) == []


# --- item 15: a full disk -------------------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MB file system (tmpfs), mounted for the test and unmounted after."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(mount)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except FileNotFoundError:
        pytest.skip("no mount command here")
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False, timeout=30)


def fill(folder: Path) -> None:
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    assert shutil.disk_usage(folder).free < 4096


@pytest.fixture
def full_disk_plan(tiny_disk: Path) -> Iterator[Path]:
    """A plan on a disk with no space left, kept open (so its -wal and -shm exist) as a workbench would."""
    store = plan_file(tiny_disk / "plan.db")
    holder = open_database(store, daily_backup=False)
    with holder.read() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM action").all()
    fill(tiny_disk)
    yield store
    holder.close()


def test_a_change_on_a_full_disk_says_disk_full(full_disk_plan: Path) -> None:
    line = error_after_notices(
        run("--db", str(full_disk_plan), "set", "1.1.1.1", "--rag", "complete", "--note", "x" * 20_000)
    )
    assert line == f"plantui: {full_disk_plan}: disk full (no room to save the change); nothing was saved"


def test_a_backup_onto_a_full_disk_says_disk_full(full_disk_plan: Path, tmp_path: Path) -> None:
    target = full_disk_plan.parent / "copy.db"
    line = one_line(run("--db", str(full_disk_plan), "backup", "-o", str(target)))
    assert line.startswith(f"plantui: cannot write {target}: disk full") and "nothing was written" in line
    assert not target.exists() and not (full_disk_plan.parent / ".copy.db.part").exists()


def test_an_import_onto_a_full_disk_says_disk_full(tiny_disk: Path, tmp_path: Path) -> None:
    source = tmp_path / "plan.json"
    assert run("--db", str(plan_file(tmp_path / "src.db")), "export", "-o", str(source)).exit_code == 0
    store = plan_file(tiny_disk / "plan.db")
    holder = open_database(store, daily_backup=False)
    with holder.read() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM action").all()
    fill(tiny_disk)
    try:
        line = error_after_notices(run("--db", str(store), "import", str(source), "--force"))
    finally:
        holder.close()
    assert line == f"plantui: {store}: disk full (no room to save the change); nothing was saved"


def test_an_import_into_a_new_file_on_a_full_disk_can_be_tried_again(tiny_disk: Path, tmp_path: Path) -> None:
    """A new file whose schema could not be written is taken away again: left empty, the retry was
    refused as "empty (zero bytes), so it is not a plantui database"."""
    source = tmp_path / "plan.json"
    assert run("--db", str(plan_file(tmp_path / "src.db")), "export", "-o", str(source)).exit_code == 0
    store = tiny_disk / "new.db"
    fill(tiny_disk)
    failed = run("--db", str(store), "import", str(source))
    assert "disk full" in one_line(failed)
    assert not store.exists()
    (tiny_disk / "filler").unlink()
    again = run("--db", str(store), "import", str(source))
    assert again.exit_code == 0, again.stderr


def test_sqlites_own_full_database_is_said_as_disk_full(tmp_path: Path) -> None:
    """Where no small file system can be mounted: SQLite reports SQLITE_FULL for real when a file
    reaches its `max_page_count`, which takes the same path as a full disk."""
    store = plan_file(tmp_path / "plan.db")
    database = open_database(store, daily_backup=False)
    with sqlite3.connect(store) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()

    @event.listens_for(database.engine, "connect")
    def _limit(dbapi_connection, _record) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    database.engine.dispose()
    try:
        with pytest.raises(StoreError) as caught:
            changes.add_note(database, "1.1.1.1", "x" * 200_000, author="Ann")
    finally:
        database.close()
    assert str(caught.value) == f"{store}: disk full (no room to save the change); nothing was saved"
