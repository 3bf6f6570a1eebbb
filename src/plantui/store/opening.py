"""Opening a plan store: the file checks, the engine, the schema brought up to date, the day's backup.

This module composes the others and is imported by none of them: `plantui.store.sqlite_file` judges
the file before SQLite sees it, `plantui.store.database` (or `plantui.store.server` for a URL) makes
the engine, `plantui.store.schema` checks and migrates the schema, and `plantui.store.backup` takes
the first copy of a local day.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import ProgrammingError

from plantui.domain.errors import NotFoundError, StoreError
from plantui.store import schema
from plantui.store import tables as T
from plantui.store.backup import (
    DEFAULT_KEEP,
    backup_file,
    daily_backup_due,
    prune_backups,
    quick_check,
    with_backup_hint,
)
from plantui.store.database import (
    WRITE_OPTION,
    Database,
    connect_check,
    permission_error,
    private_read_copy,
    sqlite_engine,
    use_wal,
)
from plantui.store.location import Location, resolve, writable_file
from plantui.store.sqlite_file import (
    UnusableFileError,
    check_sqlite_file,
    has_pending_wal,
    on_read_only_media,
    roll_back_hot_journal,
    set_aside_leftovers,
)

DEFAULT_BACKUPS_KEEP = DEFAULT_KEEP  # the `backups_keep` setting's default


def _create_private_file(path: Path) -> None:
    """Make the folder (0700) and an empty database file (0600): plans hold personal data."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def open_database(
    db: str | os.PathLike[str] | Location | None = None,
    *,
    create: bool = True,
    readonly: bool = False,
    migrate: bool = True,
    daily_backup: bool = True,
    backups_keep: int = DEFAULT_BACKUPS_KEEP,
) -> Database:
    """Open the plan store, creating it (when `create`) and migrating it to the current schema.

    The first open of a day that may write takes a backup copy (see `plantui.store.backup`) and keeps
    the newest `backups_keep` automatic copies; callers pass the user's setting.

    Raises `StoreError` with a one-line reason for anything a user can cause: a missing file (when
    not `create`), a file that is not a database, a database of another program or of a newer plantui.
    """
    location = db if isinstance(db, Location) else resolve(db)
    if location.path is None:
        from plantui.store.server import server_engine

        engine = server_engine(location, readonly=readonly, write_option=WRITE_OPTION)
        database = Database(location, engine, readonly=readonly)
        connect_check(database)
        if migrate:
            try:
                schema.ensure_current(database)
            except ProgrammingError as error:  # e.g. no right to create plantui's tables
                database.close()
                raise permission_error(location, error, "") from None
        return database

    path = location.path
    created = False
    left_notices: list[str] = []
    try:
        if not path.exists():
            if not create or readonly:
                raise NotFoundError(f"{path} does not exist")
            left_notices = set_aside_leftovers(path)
            try:
                _create_private_file(path)
            except OSError as error:
                raise StoreError(f"cannot create {path}: {error.strerror or error}") from None
            created = True
        else:
            roll_back_hot_journal(path)
            check_sqlite_file(location)
        reason = ""
        if not readonly:
            writable, reason = writable_file(path)
            readonly = not writable
        private_copy = None
        if readonly and on_read_only_media(path) and has_pending_wal(path):
            private_copy = private_read_copy(path)
        database = Database(
            location,
            sqlite_engine(location, readonly, private_copy),
            readonly=readonly,
            readonly_reason=reason,
            created=created,
            private_copy=private_copy,
        )
        database.notices.extend(left_notices)
        try:
            connect_check(database)
            if migrate:
                schema.ensure_current(database, new_file=created)
                if not database.readonly:
                    use_wal(database)
        except BaseException:
            database.close()
            if created:
                _remove_if_still_empty(path)
            raise
    except UnusableFileError as error:
        raise with_backup_hint(error, path) from None
    if daily_backup and not created and not database.readonly:
        _daily_backup(database, backups_keep)
    return database


def _remove_if_still_empty(path: Path) -> None:
    """Take away the file this open made when making its schema failed (a full disk): left empty, the
    next try would refuse it as "empty, not a plantui database" instead of making it again."""
    try:
        if path.stat().st_size == 0:
            for companion in (Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
                if companion.exists() and companion.stat().st_size == 0:
                    companion.unlink()
            path.unlink()
    except OSError:
        pass  # nothing more can be done; the error that stopped the open is the one to show


def _daily_backup(database: Database, keep: int) -> None:
    try:
        take_daily_backup(database, keep)
    except StoreError as error:  # a backup that cannot be taken must not stop the day's work
        database.notices.append(f"today's backup was not taken: {error}")


def take_daily_backup(database: Database, keep: int = DEFAULT_KEEP) -> Path | None:
    """The first open of a day takes a copy of the database as the day starts, then prunes old copies.

    A database with no plan has nothing to lose and is not copied. Returns the new copy, if any.
    """
    path = database.location.path
    if path is None or database.readonly or not daily_backup_due(path):
        return None
    with database.read() as conn:  # as `plans.is_empty`, which cannot be imported here (plans opens)
        if not conn.execute(select(func.count()).select_from(T.plan)).scalar_one():
            return None
    copy = backup_file(database.location, reason="daily")
    verdict = quick_check(copy)
    if verdict != "ok":
        # A damaged copy must not push good ones out of the folder, nor be named as the way back.
        copy.unlink(missing_ok=True)
        raise with_backup_hint(UnusableFileError(f"{path} is damaged ({verdict})"), path)
    prune_backups(path, keep, spare=copy)
    return copy
