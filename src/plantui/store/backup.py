"""Backup copies of a SQLite plan store, and putting one back.

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
"""

from __future__ import annotations

import os
import re
import secrets
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
from typing import TYPE_CHECKING

from plantui.domain.errors import InputError, NotFoundError, StoreError
from plantui.domain.text import visible
from plantui.store.location import sqlite_uri

if TYPE_CHECKING:
    from plantui.store.database import Database

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


def _stamped_target(db_path: Path, reason: str) -> Path:
    folder = checked_backup_folder(db_path)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"cannot make the backups folder {folder}: {error.strerror or error}") from None
    checked_backup_folder(db_path)  # still the folder this plantui made or checked
    stamp = datetime.now(UTC).strftime(_STAMP_FORMAT)
    return folder / f"{db_path.stem}-{stamp}-{reason}.db"


def _private_empty_file(path: Path) -> None:
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


def _remove_if_stale(path: Path, now: float) -> None:
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
        _remove_if_stale(entry, now)


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
        _private_empty_file(copy)
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
                _private_empty_file(staging)
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
    database: Database, *, reason: str = "manual", target: Path | None = None, force: bool = False
) -> Path:
    """Copy the database to `target`, or to a stamped file in the backups folder beside it.

    A `target` must be a regular file or not exist yet: a backup is a database file of its own, so it
    is never written onto a device, pipe or socket, nor through a symbolic link. An existing file is
    replaced only with `force`, only when it is a SQLite database no other program has open, and
    without its old `-wal`, `-shm` or `-journal` surviving beside the new copy.
    """
    path = database.location.path
    if path is None:
        raise StoreError(f"{database.display} is a database server: back it up with its own tools")
    if target is None:
        target = _stamped_target(path, reason)
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
    if status.st_size and not _is_sqlite(target):
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


def _is_sqlite(path: Path) -> bool:
    from plantui.store.database import SQLITE_HEADER

    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER


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


def take_daily_backup(database: Database, keep: int = DEFAULT_KEEP) -> Path | None:
    """The first open of a day takes a copy of the database as the day starts, then prunes old copies.

    A database with no plan has nothing to lose and is not copied. Returns the new copy, if any.
    """
    path = database.location.path
    if path is None or database.readonly or not daily_backup_due(path):
        return None
    from plantui.store.plans import is_empty

    if is_empty(database):
        return None
    copy = backup_file(database, reason="daily")
    verdict = _quick_check(copy)
    if verdict != "ok":
        # A damaged copy must not push good ones out of the folder, nor be named as the way back.
        copy.unlink(missing_ok=True)
        from plantui.store.database import UnusableFileError, with_backup_hint

        raise with_backup_hint(UnusableFileError(f"{path} is damaged ({verdict})"), path)
    prune_backups(path, keep, spare=copy)
    return copy


def _quick_check(path: Path) -> str:
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


# --- restore ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RestoreResult:
    revision: str  # the schema revision of the restored file, before any upgrade on open
    replaced_copy: Path | None  # where the database that was replaced was set aside
    leftovers: tuple[Path, ...] = ()  # journal files found beside a missing or damaged file, set aside


def check_backup_file(path: Path) -> str:
    """Check a file is a whole plantui database this plantui can open; return its schema revision.

    Raises `StoreError` with the reason otherwise. Reads the file only.
    """
    from plantui.store import schema, schema_check
    from plantui.store.database import header_problem

    if not path.exists():
        raise NotFoundError(f"{path} does not exist")
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a plantui database")
    problem = header_problem(path)
    if problem:
        raise StoreError(f"{path} {problem}: it cannot be restored; nothing was changed")
    try:
        conn = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True)
        try:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise StoreError(
                    f"{path} is damaged ({verdict}), so it cannot be restored; nothing was changed"
                )
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = None
            if "alembic_version" in names:
                revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = revision[0] if revision else None
            if revision is not None and not schema_check.is_plantui_revision(str(revision)):
                raise StoreError(
                    f"{path} holds another application's tables (alembic_version "
                    f"{visible(repr(revision))} is not plantui's): it cannot be restored; nothing was changed"
                )
            # A copy at an older revision (the one taken before an upgrade) has that revision's tables.
            known = revision if revision in schema.KNOWN_REVISIONS else schema.HEAD_REVISION
            if "alembic_version" not in names or not names >= schema_check.plantui_tables(known):
                raise StoreError(
                    f"{path} is a database of another program, not a plantui one; nothing was changed"
                )
            if revision in schema.KNOWN_REVISIONS:
                problem = schema_check.sqlite_schema_problem(conn, revision)
                if problem:
                    raise StoreError(f"{path} {problem}: it cannot be restored; nothing was changed")
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise StoreError(f"{path} is not a usable database ({error}); nothing was changed") from None
    if revision not in schema.KNOWN_REVISIONS:
        raise StoreError(
            f"{path} was made by a newer plantui (schema {revision}; this plantui knows up to "
            f"{schema.HEAD_REVISION}): upgrade plantui to restore it; nothing was changed"
        )
    return revision


COMPANIONS = ("-wal", "-shm", "-journal")


def _set_aside(db_path: Path, reason: str) -> Path:
    """Byte-copy a file that is not a usable database into the backups folder (its journal files are
    moved beside it by `_set_aside_companions`)."""
    target = _stamped_target(db_path, reason)
    staging = target.with_name(f".{target.name}.part")
    _private_empty_file(staging)
    shutil.copyfile(db_path, staging)
    os.replace(staging, target)
    return target


def _set_aside_companions(db_path: Path, beside: Path | None) -> tuple[Path, ...]:
    """Move the `-wal`, `-shm` and `-journal` files beside `db_path` into the backups folder (next to
    `beside`, the copy of the file they came with, or under a `leftover` name), so that SQLite cannot
    replay them over the file a restore puts in its place. Never deleted: a user may want them."""
    moved: list[Path] = []
    sides = [Path(f"{db_path}{suffix}") for suffix in COMPANIONS]
    if not any(side.exists() for side in sides):
        return ()
    base = beside if beside is not None else _stamped_target(db_path, "leftover")
    for suffix, side in zip(COMPANIONS, sides, strict=True):
        if not side.exists():
            continue
        target = Path(f"{base}{suffix}")
        try:
            os.replace(side, target)
        except OSError:  # another file system (a linked backups folder): copy, then remove
            shutil.copyfile(side, target)
            side.unlink()
        target.chmod(0o600)
        moved.append(target)
    return tuple(moved)


def _staging_name(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.{secrets.token_hex(4)}.restore")


def _remove_stale_staging(db_path: Path) -> None:
    """Remove the staging copies (`.NAME.XXXXXXXX.restore`, and `.part` and journals of one) that a
    killed restore of this database left beside it, once they are old enough not to be in use."""
    pattern = re.compile(
        rf"^\.{re.escape(db_path.name)}(?:\.[0-9a-f]{{8}})?\.restore(?:\.part)?(?:-journal|-wal|-shm)?$"
    )
    try:
        entries = [Path(e.path) for e in os.scandir(db_path.parent) if pattern.match(e.name)]
    except OSError:
        return
    now = time.time()
    for entry in entries:
        _remove_if_stale(entry, now)


def restore_file(db_path: Path, source: Path) -> RestoreResult:
    """Replace the database at `db_path` with the copy at `source`, after checking the copy.

    A usable database is replaced under one write lock, the one every plantui writer takes (`BEGIN
    IMMEDIATE`): holding it, the restore copies the database into the backups folder and then
    replaces every table's rows with the copy's, and commits. So a change committed before the lock is
    in the before-restore copy, one committed after lands on top of the restored plan, and none falls
    between; a process that has the file open sees the old plan or the restored one, never a mixture;
    a crash leaves the old one. A file that is not a usable database (or no file) is set aside byte for
    byte, with any journal files beside it, and the checked copy renamed into its place.
    """
    source = source.absolute()
    if db_path.is_symlink():
        # The plan is the file the link names: a copy renamed into place must replace that file,
        # never turn the link itself into a regular file (and leave the plan it named as it was).
        db_path = db_path.resolve()
    try:
        return _restore(db_path, source)
    except OSError as error:
        raise StoreError(f"cannot restore into {db_path}: {error.strerror or error}") from None


def _restore(db_path: Path, source: Path) -> RestoreResult:
    from plantui.store.database import UnusableFileError, check_sqlite_file, open_database
    from plantui.store.location import file_location

    if source.exists() and db_path.exists() and source.resolve() == db_path.resolve():
        raise InputError(f"{source} is the database itself: name a backup copy to restore")
    staging = _staging_name(db_path)
    with readable_copy(source) as readable:
        try:
            revision = check_backup_file(readable)
        except StoreError as error:  # name the file the user gave, not a temporary copy of it
            raise type(error)(str(error).replace(str(readable), str(source))) from None
        db_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not os.access(db_path.parent, os.W_OK):
            raise StoreError(f"{db_path} is read-only (its folder is not writable): nothing was restored")
        _remove_stale_staging(db_path)
        copy_sqlite(readable, staging)
    try:
        _upgrade_staging(staging, revision)
        if not db_path.exists():
            leftovers = _set_aside_companions(db_path, None)
            os.replace(staging, db_path)
            return RestoreResult(revision, None, leftovers)
        location = file_location(db_path)
        try:
            check_sqlite_file(location)
            current = open_database(location, create=False, daily_backup=False)
        except UnusableFileError:  # not a plantui database at all; anything else (locked...) stops here
            aside = _set_aside(db_path, "damaged")
            leftovers = _set_aside_companions(db_path, aside)
            os.replace(staging, db_path)
            return RestoreResult(revision, aside, leftovers)
        try:
            if current.readonly:
                raise StoreError(f"{db_path} is read-only{current.readonly_reason}: nothing was restored")
        finally:
            current.close()
        return RestoreResult(revision, _replace_live(db_path, staging))
    finally:
        for leftover in (staging, Path(f"{staging}-journal")):
            leftover.unlink(missing_ok=True)


def _upgrade_staging(staging: Path, revision: str) -> None:
    """Bring the private staging copy to this plantui's schema, so its tables match the live file's."""
    from plantui.store import schema
    from plantui.store.database import open_database
    from plantui.store.location import file_location

    if revision == schema.HEAD_REVISION:
        return
    database = open_database(file_location(staging), create=False, migrate=False, daily_backup=False)
    try:
        schema.upgrade(database, schema.HEAD_REVISION)
    finally:
        database.close()


def _replace_live(db_path: Path, staging: Path) -> Path:
    """Under one `BEGIN IMMEDIATE` on the live file: copy it into the backups folder (through a second
    connection, which reads exactly what the lock froze), then replace every table's rows with the
    staging copy's, and commit. Returns the before-restore copy."""
    from plantui.store.database import BUSY_TIMEOUT_SECONDS

    try:
        conn = sqlite3.connect(
            sqlite_uri(db_path), uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
        )
    except sqlite3.Error as error:
        raise StoreError(f"cannot restore into {db_path}: {error}; nothing was changed") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        conn.execute("PRAGMA foreign_keys = OFF")  # rows go in table by table; checked before commit
        conn.execute("ATTACH DATABASE ? AS restored", (sqlite_uri(staging, mode="ro"),))
        conn.execute("BEGIN IMMEDIATE")
        try:
            aside = _stamped_target(db_path, "before-restore")
            copy_sqlite(db_path, aside)
            _replace_tables(conn, db_path)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.Error as error:
        raise StoreError(f"cannot restore into {db_path}: {error}; nothing was changed") from None
    finally:
        conn.close()
    _checkpoint(db_path)
    return aside


def _tables(conn: sqlite3.Connection, schema_name: str) -> dict[str, list[str]]:
    names = [
        row[0]
        for row in conn.execute(
            f"SELECT name FROM {schema_name}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: [row[1] for row in conn.execute(f'PRAGMA {schema_name}.table_info("{name}")')] for name in names
    }


def _replace_tables(conn: sqlite3.Connection, db_path: Path) -> None:
    live, incoming = _tables(conn, "main"), _tables(conn, "restored")
    if {name: sorted(columns) for name, columns in live.items()} != {
        name: sorted(columns) for name, columns in incoming.items()
    }:
        raise StoreError(
            f"{db_path} does not have the tables of this plantui's schema, so the copy cannot be put "
            "into it; nothing was changed"
        )
    for name in live:
        conn.execute(f'DELETE FROM main."{name}"')
    for name, columns in live.items():
        listed = ", ".join(f'"{column}"' for column in columns)
        conn.execute(f'INSERT INTO main."{name}" ({listed}) SELECT {listed} FROM restored."{name}"')
    problems = conn.execute("PRAGMA main.foreign_key_check").fetchall()
    if problems:
        raise StoreError(
            f"the copy's rows do not fit together in {db_path} ({len(problems)} broken links); "
            "nothing was changed"
        )
    conn.execute("ANALYZE main")  # the query planner's statistics describe the old plan otherwise


def _checkpoint(db_path: Path) -> None:
    """Fold the restore's pages from the WAL into the file now, rather than at some later commit."""
    try:
        conn = sqlite3.connect(sqlite_uri(db_path), uri=True, timeout=1)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # a reader holds the WAL open: SQLite checkpoints at a later commit
