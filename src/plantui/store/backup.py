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
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from plantui.domain.errors import InputError, NotFoundError, StoreError
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


def backups_of(db_path: Path) -> list[BackupCopy]:
    """The copies of this database in its backups folder, oldest first."""
    folder = backup_folder(db_path)
    copies = []
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
    folder = backup_folder(db_path)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"cannot make the backups folder {folder}: {error.strerror or error}") from None
    stamp = datetime.now(UTC).strftime(_STAMP_FORMAT)
    return folder / f"{db_path.stem}-{stamp}-{reason}.db"


def _private_empty_file(path: Path) -> None:
    """Create `path` readable by its owner only before any data goes into it (no umask window)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy a SQLite database with the online backup API into a new private file, whole or not at all.

    The copy is written beside `target` and renamed into place, so a reader never sees half a file.
    """
    staging = target.with_name(f".{target.name}.part")
    staging.unlink(missing_ok=True)
    try:
        _private_empty_file(staging)
        src = sqlite3.connect(sqlite_uri(source, mode="ro"), uri=True, timeout=30)
        try:
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


def backup_file(database: Database, *, reason: str = "manual", target: Path | None = None) -> Path:
    """Copy the database to `target`, or to a stamped file in the backups folder beside it."""
    path = database.location.path
    if path is None:
        raise StoreError(f"{database.display} is a database server: back it up with its own tools")
    if target is None:
        target = _stamped_target(path, reason)
    elif target.resolve() == path.resolve():
        raise InputError(f"{target}: a backup cannot overwrite the database itself")
    elif target.is_file() and target.stat().st_size and not _is_sqlite(target):
        raise InputError(
            f"{target} exists and is not a database: choose another name; it was not overwritten"
        )
    copy_sqlite(path, target)
    return target


def _is_sqlite(path: Path) -> bool:
    from plantui.store.database import SQLITE_HEADER

    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def prune_backups(db_path: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` automatic copies; return what was deleted."""
    automatic = [c for c in backups_of(db_path) if c.automatic]
    doomed = automatic[: max(len(automatic) - max(keep, 1), 0)]
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
    prune_backups(path, keep)
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


def check_backup_file(path: Path) -> str:
    """Check a file is a whole plantui database this plantui can open; return its schema revision.

    Raises `StoreError` with the reason otherwise. Reads the file only.
    """
    from plantui.store import schema
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
            if "alembic_version" not in names or not names >= schema.PLANTUI_TABLES:
                raise StoreError(
                    f"{path} is a database of another program, not a plantui one; nothing was changed"
                )
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise StoreError(f"{path} is not a usable database ({error}); nothing was changed") from None
    revision = revision[0] if revision else None
    if revision not in schema.KNOWN_REVISIONS:
        raise StoreError(
            f"{path} was made by a newer plantui (schema {revision}; this plantui knows up to "
            f"{schema.HEAD_REVISION}): upgrade plantui to restore it; nothing was changed"
        )
    return revision


def _set_aside(db_path: Path, reason: str) -> Path:
    """Byte-copy a file that is not a usable database (and its WAL) into the backups folder."""
    target = _stamped_target(db_path, reason)
    staging = target.with_name(f".{target.name}.part")
    _private_empty_file(staging)
    shutil.copyfile(db_path, staging)
    os.replace(staging, target)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{db_path}{suffix}")
        if side.exists():
            shutil.copyfile(side, Path(f"{target}{suffix}"))
            Path(f"{target}{suffix}").chmod(0o600)
    return target


def restore_file(db_path: Path, source: Path) -> RestoreResult:
    """Replace the database at `db_path` with the copy at `source`, after checking the copy.

    The database being replaced is first copied into the backups folder. A usable database is
    replaced inside one SQLite transaction (the backup API writing into it), so a process that has it
    open sees either the old plan or the restored one, never a mixture, and a crash leaves the old
    one. A file that is not a usable database is set aside byte for byte and the checked copy renamed
    into its place.
    """
    source = source.absolute()
    try:
        return _restore(db_path, source)
    except OSError as error:
        raise StoreError(f"cannot restore into {db_path}: {error.strerror or error}") from None


def _restore(db_path: Path, source: Path) -> RestoreResult:
    from plantui.store.database import UnusableFileError, check_sqlite_file, open_database
    from plantui.store.location import file_location

    if source.exists() and db_path.exists() and source.resolve() == db_path.resolve():
        raise InputError(f"{source} is the database itself: name a backup copy to restore")
    revision = check_backup_file(source)
    db_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not os.access(db_path.parent, os.W_OK):
        raise StoreError(f"{db_path} is read-only (its folder is not writable): nothing was restored")
    staging = db_path.with_name(f".{db_path.name}.restore")
    copy_sqlite(source, staging)
    try:
        if not db_path.exists():
            os.replace(staging, db_path)
            return RestoreResult(revision, None)
        location = file_location(db_path)
        try:
            check_sqlite_file(location)
            current = open_database(location, create=False, migrate=False, daily_backup=False)
        except UnusableFileError:  # not a plantui database at all; anything else (locked...) stops here
            aside = _set_aside(db_path, "damaged")
            for suffix in ("-wal", "-shm"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
            os.replace(staging, db_path)
            return RestoreResult(revision, aside)
        try:
            if current.readonly:
                raise StoreError(f"{db_path} is read-only{current.readonly_reason}: nothing was restored")
            aside = backup_file(current, reason="before-restore")
            _copy_into_live(staging, db_path)
        finally:
            current.close()
        return RestoreResult(revision, aside)
    finally:
        staging.unlink(missing_ok=True)


def _copy_into_live(source: Path, db_path: Path) -> None:
    src = sqlite3.connect(sqlite_uri(source, mode="ro"), uri=True)
    try:
        dest = sqlite3.connect(db_path, timeout=30)
        try:
            dest.execute("PRAGMA busy_timeout = 30000")
            src.backup(dest)
        finally:
            dest.close()
    except sqlite3.Error as error:
        raise StoreError(f"cannot restore into {db_path}: {error}; nothing was changed") from None
    finally:
        src.close()
