"""Backup copies of a SQLite plan store: taking, listing, pruning, and naming the newest as the way back.

Copies are taken with SQLite's online backup API, which reads one consistent snapshot, so they are
safe while the workbench or another command has the file open. Automatic copies go into a `backups`
folder beside the database (0700; each copy 0600) and are named
`<stem>-<UTC stamp>-<reason>.db`, so the newest sorts last:

    before-schema-NNNN   taken before a schema migration
    daily                taken by the first open of a local day that may write (never for a new or
                         empty database); checked with `PRAGMA quick_check`, and a damaged copy is
                         dropped and reported instead of kept
    before-restore       the database a `restore` replaced
    damaged              a file that was not a usable database when a `restore` replaced it
    manual               `plantui backup` without `-o`

Only the automatic copies (`daily` and `before-schema-*`) are pruned, keeping the newest N; copies a
user asked for, and those a restore set aside, stay until the user deletes them.

This module works on files and never opens a store: `plantui.store.opening` takes the daily copy,
`plantui.store.schema` the one before a migration, and `plantui.store.restore` puts a copy back.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from plantui.domain.errors import InputError, StoreError
from plantui.store.location import Location, sqlite_uri
from plantui.store.sqlite_file import UnusableFileError, is_sqlite_file

DEFAULT_KEEP = 10
FOLDER_NAME = "backups"
_STAMP_FORMAT = "%Y%m%dT%H%M%S.%fZ"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}\.\d{6}Z)-(?P<reason>[a-z0-9-]+)\.db$")
AUTOMATIC_REASONS = ("daily", "before-schema")


@dataclass(frozen=True, slots=True)
class BackupCopy:
    """One copy in a database's backups folder."""

    path: Path
    taken: datetime  # UTC, aware
    reason: str

    @property
    def automatic(self) -> bool:
        return self.reason == "daily" or self.reason.startswith("before-schema")


def backup_folder(db_path: Path) -> Path:
    return db_path.parent / FOLDER_NAME


def backup_folder_problem(folder: Path) -> str:
    """Why plantui must not use `folder` for copies of a plan, or "" when it may (or it is absent).

    A folder another user planted (a symbolic link to a place of theirs, a folder they own or can
    write to) would receive copies of the plan, or swap copies plantui later offers to restore.
    """
    try:
        status = os.lstat(folder)
    except FileNotFoundError:
        return ""
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    if stat.S_ISLNK(status.st_mode):
        return "is a symbolic link, and plantui never follows one for its copies"
    if not stat.S_ISDIR(status.st_mode):
        return "is not a folder"
    if hasattr(os, "getuid"):  # POSIX ownership and modes; Windows keeps its own access lists
        if status.st_uid != os.getuid():
            return "belongs to another user"
        if status.st_mode & 0o022:
            return f"can be written by other users (mode {stat.S_IMODE(status.st_mode):o}; chmod 700 it)"
    return ""


def checked_backup_folder(db_path: Path) -> Path:
    """The backups folder, refused in one line when plantui must not use it (see `backup_folder_problem`)."""
    folder = backup_folder(db_path)
    problem = backup_folder_problem(folder)
    if problem:
        raise StoreError(
            f"the backups folder {folder} {problem}: no copy was written there; nothing was changed"
        )
    return folder


def backups_of(db_path: Path) -> list[BackupCopy]:
    """The copies of this database in its backups folder, oldest first."""
    folder = backup_folder(db_path)
    copies = []
    if backup_folder_problem(folder):
        return []  # never offer a copy from a folder someone else could have filled
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        match = _NAME.match(entry.name)
        if match is None or match["stem"] != db_path.stem or not entry.is_file():
            continue
        taken = datetime.strptime(match["stamp"], _STAMP_FORMAT).replace(tzinfo=UTC)
        copies.append(BackupCopy(Path(entry.path), taken, match["reason"]))
    return sorted(copies, key=lambda c: c.taken)


def newest_backup(db_path: Path) -> Path | None:
    """The newest copy to offer as the way back (never a damaged file a restore set aside)."""
    copies = [c for c in backups_of(db_path) if c.reason != "damaged"]
    return copies[-1].path if copies else None


def with_backup_hint(error: UnusableFileError, path: Path | None) -> UnusableFileError:
    """The same error, naming the newest backup copy (if there is one) so the user knows the way back."""
    copy = newest_backup(path) if path is not None and not error.hinted else None
    if copy is None:
        return error
    hinted = UnusableFileError(f"{error}; the newest backup is {copy} (plantui restore {copy})")
    hinted.hinted = True
    return hinted


def stamped_target(db_path: Path, reason: str) -> Path:
    folder = checked_backup_folder(db_path)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"cannot make the backups folder {folder}: {error.strerror or error}") from None
    checked_backup_folder(db_path)  # still the folder this plantui made or checked
    stamp = datetime.now(UTC).strftime(_STAMP_FORMAT)
    return folder / f"{db_path.stem}-{stamp}-{reason}.db"


def private_empty_file(path: Path) -> None:
    """Create `path` readable by its owner only before any data goes into it (no umask window)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


STALE_AFTER_SECONDS = 120
"""How old a `.part` or `.restore` file left by a killed backup or restore must be before the next one
may remove it, and then only when no SQLite connection holds a lock on it. A copy in progress holds
its lock while it writes and is at most moments old between its steps, and a restore's staging copy
waits at most a busy timeout (30 s) for the write lock, so neither is ever taken for a dead one."""

_PART = re.compile(r"^\.(?P<name>.+-\d{8}T\d{6}\.\d{6}Z-[a-z0-9-]+\.db)\.part(?:-journal|-wal|-shm)?$")
_JOURNALS = ("-journal", "-wal", "-shm")


def _being_written(path: Path) -> bool:
    """Whether a SQLite connection (in any process) holds a lock on the database file at `path`."""
    try:
        conn = sqlite3.connect(sqlite_uri(path, mode="rw"), uri=True, timeout=0, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as error:
        return "locked" in str(error) or "busy" in str(error)
    except sqlite3.Error:  # half a file: nobody is writing it
        return False
    finally:
        conn.close()


def remove_if_stale(path: Path, now: float) -> None:
    journal_of = [path.with_name(path.name[: -len(end)]) for end in _JOURNALS if path.name.endswith(end)]
    base = journal_of[0] if journal_of else path
    try:
        if now - path.lstat().st_mtime <= STALE_AFTER_SECONDS or not path.is_file():
            return
        if base.is_file() and _being_written(base):
            return
        path.unlink()
    except OSError:
        pass  # gone already, or not ours to remove: it waits for the next time


def remove_stale_parts(folder: Path) -> None:
    """Remove the half-written `.NAME.part` copies (and their journals) a killed backup left in a
    backups folder: only names plantui gives its stamped copies, and only when no longer being written."""
    try:
        entries = [Path(entry.path) for entry in os.scandir(folder) if _PART.match(entry.name)]
    except OSError:
        return
    now = time.time()
    for entry in entries:
        remove_if_stale(entry, now)


@contextmanager
def readable_copy(source: Path) -> Iterator[Path]:
    """A path SQLite can open read-only with the same content as `source`: `source` itself, or a byte
    copy in a private temporary folder when `source` sits in a folder this process cannot write and has
    no `-shm` beside it (read-only media). SQLite cannot make the shared-memory file a WAL reader needs
    there, and says only "unable to open database file". The copy takes the `-wal` along, so changes
    still in it are read too.

    `source` is never opened here otherwise: closing any descriptor of a file drops every POSIX lock
    this process's SQLite connections hold on it.
    """
    if os.access(source.parent, os.W_OK) or Path(f"{source}-shm").exists() or not source.is_file():
        yield source
        return
    with tempfile.TemporaryDirectory(prefix="plantui-") as folder:
        copy = Path(folder) / source.name
        private_empty_file(copy)
        shutil.copyfile(source, copy)
        wal = Path(f"{source}-wal")
        if wal.exists():
            shutil.copyfile(wal, Path(f"{copy}-wal"))
        yield copy


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy a SQLite database with the online backup API into a new private file, whole or not at all.

    The copy is written beside `target` and renamed into place, so a reader never sees half a file.
    A source on read-only media is read as it stands (see `readable_copy`).
    """
    if target.parent.name == FOLDER_NAME:
        remove_stale_parts(target.parent)
    staging = target.with_name(f".{target.name}.part")
    staging.unlink(missing_ok=True)
    try:
        with readable_copy(source) as readable:
            src = sqlite3.connect(sqlite_uri(readable, mode="ro"), uri=True, timeout=30)
            try:
                # Made only now, so it is unlocked for moments at most before the copy takes its lock.
                private_empty_file(staging)
                dest = sqlite3.connect(staging)
                try:
                    src.backup(dest)
                    # A copy is one self-contained file: no -wal beside it to lose when it is moved.
                    dest.execute("PRAGMA journal_mode = DELETE")
                finally:
                    dest.close()
            finally:
                src.close()
        os.replace(staging, target)
    except sqlite3.Error as error:
        staging.unlink(missing_ok=True)
        raise StoreError(f"cannot copy {source}: {error}") from None
    except OSError as error:
        staging.unlink(missing_ok=True)
        raise StoreError(f"cannot write {target}: {error.strerror or error}") from None


def backup_file(
    location: Location, *, reason: str = "manual", target: Path | None = None, force: bool = False
) -> Path:
    """Copy the database to `target`, or to a stamped file in the backups folder beside it.

    A `target` must be a regular file or not exist yet: a backup is a database file of its own, so it
    is never written onto a device, pipe or socket, nor through a symbolic link. An existing file is
    replaced only with `force`, only when it is a SQLite database no other program has open, and
    without its old `-wal`, `-shm` or `-journal` surviving beside the new copy.
    """
    path = location.path
    if path is None:
        raise StoreError(f"{location.display} is a database server: back it up with its own tools")
    if target is None:
        target = stamped_target(path, reason)
        _copy(path, target)
        return target
    target = target.absolute()
    if not _target_exists(path, target, force):
        _copy(path, target)
        return target
    with _only_user_of(target):
        _copy(path, target)
    return target


_COMPANIONS = ("-wal", "-shm", "-journal")
_COMPANION_WORDS = {"-wal": "write-ahead log", "-shm": "shared-memory file", "-journal": "rollback journal"}


def _target_exists(db_path: Path, target: Path, force: bool) -> bool:
    """Refuse a target a backup must not be written to; True when it is a database to replace."""
    database = db_path.absolute()
    # Folders resolved, last names kept: `../x/plan.db-wal` is still the store's own -wal.
    named = target.parent.resolve() / target.name
    for suffix in _COMPANIONS:
        if named == database.parent.resolve() / f"{database.name}{suffix}":
            raise InputError(
                f"{target} is the database's own {_COMPANION_WORDS[suffix]}: a backup cannot overwrite it; "
                "nothing was changed"
            )
    try:
        status = os.lstat(target)
    except FileNotFoundError:
        return False
    except OSError as error:
        raise StoreError(f"cannot write {target}: {error.strerror or error}") from None
    if stat.S_ISLNK(status.st_mode):
        raise InputError(
            f"{target} is a symbolic link: a backup never writes through a link (name the file itself); "
            "nothing was changed"
        )
    if not stat.S_ISREG(status.st_mode):
        raise InputError(
            f"{target} is {_file_kind(status.st_mode)}, not a regular file: a backup is a database file "
            "of its own and is never written onto one; nothing was changed"
        )
    if target == database or os.path.samefile(target, database):
        raise InputError(f"{target}: a backup cannot overwrite the database itself")
    if status.st_size and not is_sqlite_file(target):
        raise InputError(
            f"{target} exists and is not a database: choose another name; it was not overwritten"
        )
    if not force:
        raise InputError(f"{target} exists: add --force to replace it; nothing was changed")
    return True


def _file_kind(mode: int) -> str:
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a special file"


@contextmanager
def _only_user_of(target: Path) -> Iterator[None]:
    """Hold an existing database to be replaced exclusively, with no companion file beside it.

    SQLite itself first rolls back a hot journal and checkpoints a WAL into the old file, and leaves
    WAL mode only when no other connection has the file open: otherwise the target is in use, and it
    is refused. Under the exclusive lock no other process can be using a leftover companion, so one is
    removed. The lock is held while the new copy is renamed into place (where the system allows
    renaming over an open file), so nobody opens the old file and leaves a fresh `-wal` in between: a
    `-wal` left beside the new copy would be replayed over it.
    """
    in_use = f"{target} is in use by another program: close it there first; nothing was changed"
    try:
        conn = sqlite3.connect(sqlite_uri(target), uri=True, timeout=0, isolation_level=None)
    except sqlite3.Error as error:
        raise StoreError(f"{target} cannot be opened to be replaced ({error}); nothing was changed") from None
    try:
        try:
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            if mode != "delete":
                raise StoreError(in_use)
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise StoreError(in_use) from None
            raise StoreError(f"{target} cannot be replaced ({error}); nothing was changed") from None
        except sqlite3.DatabaseError as error:
            raise StoreError(
                f"{target} is damaged ({error}): move it away yourself to replace it; nothing was changed"
            ) from None
        for suffix in _COMPANIONS:
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        if os.name == "nt":  # Windows renames nothing over an open file: let it go first
            conn.close()
        yield
    finally:
        conn.close()


def _copy(source: Path, target: Path) -> None:
    """`copy_sqlite`, with a full disk said in those words (SQLite says "database or disk is full")."""
    needed = source.stat().st_size
    try:
        free = shutil.disk_usage(target.parent).free
    except OSError:
        free = None
    if free is not None and free < needed:
        raise StoreError(
            f"cannot write {target}: disk full (the copy needs {_amount(needed)}, {_amount(free)} is free); "
            "nothing was written"
        )
    try:
        copy_sqlite(source, target)
    except StoreError as error:
        if any(sign in str(error) for sign in _DISK_FULL_SIGNS):
            raise StoreError(f"cannot write {target}: disk full; nothing was written") from None
        raise


_DISK_FULL_SIGNS = ("database or disk is full", "No space left on device", "There is not enough space")


def _amount(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / (1024 * 1024):.1f} MB"


def prune_backups(db_path: Path, keep: int, spare: Path | None = None) -> list[Path]:
    """Delete all but the newest `keep` automatic copies, never `spare` (the copy just taken); return
    what was deleted.

    Copies are ordered by the UTC stamp in their names: after the clock was set back, the copy just
    taken sorts oldest, and without `spare` it would be the first to go.
    """
    automatic = [c for c in backups_of(db_path) if c.automatic and c.path != spare]
    doomed = automatic[: max(len(automatic) - max(keep, 1) + (spare is not None), 0)]
    for copy in doomed:
        copy.path.unlink(missing_ok=True)
    return [c.path for c in doomed]


def _local_day(moment: datetime) -> date:
    return moment.astimezone().date()


def daily_backup_due(db_path: Path, today: date | None = None) -> bool:
    """True when no automatic copy has been taken on this local day."""
    day = today or datetime.now().astimezone().date()
    return not any(c.automatic and _local_day(c.taken) == day for c in backups_of(db_path))


def quick_check(path: Path) -> str:
    """SQLite's own check of a copy's pages and indexes (quick: no index-to-table cross-check)."""
    try:
        conn = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True)
        try:
            rows = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
        finally:
            conn.close()
    except sqlite3.Error as error:
        return str(error)
    return "ok" if rows == ["ok"] else " ".join("; ".join(rows).split())
