"""Putting a backup copy back in place of a SQLite plan store, checked first and whole or not at all.

Above `plantui.store.opening`: a restore opens the live file to see whether it is a usable plantui
database, and brings a copy from an earlier schema up to this plantui's with `plantui.store.schema`.
The copies it reads and the ones it sets aside are kept by `plantui.store.backup`.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from plantui.domain.errors import InputError, StoreError
from plantui.store import schema
from plantui.store.backup import (
    copy_sqlite,
    private_empty_file,
    readable_copy,
    remove_if_stale,
    stamped_target,
)
from plantui.store.location import file_location, sqlite_uri
from plantui.store.opening import open_database
from plantui.store.sqlite_file import (
    BUSY_TIMEOUT_SECONDS,
    UnusableFileError,
    check_backup_file,
    check_sqlite_file,
)


@dataclass(frozen=True, slots=True)
class RestoreResult:
    revision: str  # the schema revision of the restored file, before any upgrade on open
    replaced_copy: Path | None  # where the database that was replaced was set aside
    leftovers: tuple[Path, ...] = ()  # journal files found beside a missing or damaged file, set aside


COMPANIONS = ("-wal", "-shm", "-journal")


def _set_aside(db_path: Path, reason: str) -> Path:
    """Byte-copy a file that is not a usable database into the backups folder (its journal files are
    moved beside it by `_set_aside_companions`)."""
    target = stamped_target(db_path, reason)
    staging = target.with_name(f".{target.name}.part")
    private_empty_file(staging)
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
    base = beside if beside is not None else stamped_target(db_path, "leftover")
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
        remove_if_stale(entry, now)


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
            aside = stamped_target(db_path, "before-restore")
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
