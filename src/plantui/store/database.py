"""Opening the plan store: checking the file, connecting, and bringing the schema up to date.

SQLite runs in WAL mode with foreign keys on and a busy timeout, and every write transaction starts
with `BEGIN IMMEDIATE`, so a second window or a CLI call waits its turn instead of failing with
"database is locked" half-way through a change. A PostgreSQL URL gets the same guarantee from a
write lock (see `plantui.store.server`).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, DataError, OperationalError, ProgrammingError

from plantui.domain.errors import NotFoundError, ReadOnlyError, StoreError
from plantui.store.location import Location, resolve

BUSY_TIMEOUT_SECONDS = 30
SQLITE_HEADER = b"SQLite format 3\x00"
_WRITE = "plantui_write"


@dataclass
class Database:
    """An open plan store. Use `read()` and `write()` for transactions."""

    location: Location
    engine: Engine
    readonly: bool = False
    readonly_reason: str = ""
    notices: list[str] = field(default_factory=list)  # things the caller should tell the user

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @property
    def display(self) -> str:
        return self.location.display

    @contextmanager
    def read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except OperationalError as error:  # e.g. the server went away
            raise _store_error(self.location, error) from None
        except ProgrammingError as error:
            raise _permission_error(self.location, error, "") from None

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction that changes the plan: committed on success, rolled back on error."""
        if self.readonly:
            raise ReadOnlyError(f"{self.display} is read-only{self.readonly_reason}: nothing was saved")
        try:
            with self.engine.execution_options(**{_WRITE: True}).connect() as conn, conn.begin():
                yield conn
        except OperationalError as error:
            raise _store_error(self.location, error) from None
        except DataError as error:  # e.g. text PostgreSQL cannot hold (a NUL character)
            message = str(error.orig).strip().splitlines()[0]
            raise StoreError(f"{self.display}: {message}; nothing was saved") from None
        except ProgrammingError as error:
            raise _permission_error(self.location, error, "; nothing was saved") from None

    def connection_user(self) -> str | None:
        """The user a database server knows this connection as (None for a SQLite file)."""
        if self.backend != "postgresql":
            return None
        from plantui.store.server import connection_user

        return connection_user(self)

    def close(self) -> None:
        self.engine.dispose()


def _permission_error(location: Location, error: ProgrammingError, outcome: str) -> Exception:
    """A server's "permission denied" as one line (the user lacks a grant); anything else as it was."""
    message = str(error.orig).strip().splitlines()[0] if error.orig is not None else str(error)
    if "permission denied" not in message:
        return error
    kind = ReadOnlyError if outcome else StoreError
    return kind(f"{location.display}: {message} (ask the database's owner for access){outcome}")


def _store_error(location: Location, error: Exception) -> StoreError:
    from plantui.store.server import scrub

    message = scrub(str(getattr(error, "orig", error)).strip().splitlines()[0], location)
    if "readonly" in message or "read-only" in message:
        return ReadOnlyError(f"{location.display} is read-only: nothing was saved")
    if "lock timeout" in message:  # PostgreSQL: the write lock was not free within the timeout
        return StoreError(f"{location.display} is busy: another change held it too long; nothing was saved")
    if "locked" in message or "busy" in message:
        return StoreError(f"{location.display} is locked by another program: {message}")
    return StoreError(f"{location.display}: {message}")


def _sqlite_engine(location: Location, readonly: bool) -> Engine:
    assert location.path is not None
    url = f"sqlite:///file:{location.path}?mode=ro&uri=true" if readonly else location.url
    engine = create_engine(
        url,
        connect_args={
            "timeout": BUSY_TIMEOUT_SECONDS,
            "isolation_level": None,
            "check_same_thread": False,
        },
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        if not readonly:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # The driver is in autocommit mode (isolation_level=None) so that we choose how to begin.
        write = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def check_sqlite_file(location: Location) -> None:
    """Refuse a file that is not a SQLite database, before SQLite gets to say something obscure."""
    path = location.path
    assert path is not None
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a plantui database")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except PermissionError:
        raise StoreError(f"{path} cannot be read: permission denied") from None
    if header != SQLITE_HEADER:
        what = "empty (zero bytes)" if not header else "not a SQLite database"
        raise StoreError(f"{path} is {what}, so it is not a plantui database; nothing was changed")


def _create_private_file(path: Path) -> None:
    """Make the folder (0700) and an empty database file (0600): plans hold personal data."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _writable(path: Path) -> tuple[bool, str]:
    if not os.access(path, os.W_OK):
        return False, " (the file is not writable)"
    if not os.access(path.parent, os.W_OK):
        return False, " (its folder is not writable)"
    return True, ""


def open_database(
    db: str | os.PathLike[str] | Location | None = None,
    *,
    create: bool = True,
    readonly: bool = False,
    migrate: bool = True,
) -> Database:
    """Open the plan store, creating it (when `create`) and migrating it to the current schema.

    Raises `StoreError` with a one-line reason for anything a user can cause: a missing file (when
    not `create`), a file that is not a database, a database of another program or of a newer plantui.
    """
    from plantui.store import schema

    location = db if isinstance(db, Location) else resolve(db)
    if location.path is None:
        from plantui.store.server import server_engine

        engine = server_engine(location, readonly=readonly, write_option=_WRITE)
        database = Database(location, engine, readonly=readonly)
        _connect_check(database)
        if migrate:
            try:
                schema.ensure_current(database)
            except ProgrammingError as error:  # e.g. no right to create plantui's tables
                database.close()
                raise _permission_error(location, error, "") from None
        return database

    path = location.path
    created = False
    if not path.exists():
        if not create or readonly:
            raise NotFoundError(f"{path} does not exist")
        try:
            _create_private_file(path)
        except OSError as error:
            raise StoreError(f"cannot create {path}: {error.strerror or error}") from None
        created = True
    else:
        check_sqlite_file(location)
    reason = ""
    if not readonly:
        writable, reason = _writable(path)
        readonly = not writable
    database = Database(
        location, _sqlite_engine(location, readonly), readonly=readonly, readonly_reason=reason
    )
    _connect_check(database)
    if migrate:
        schema.ensure_current(database, new_file=created)
    return database


def _connect_check(database: Database) -> None:
    try:
        with database.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            if database.backend == "sqlite":
                # Reading the schema is enough to tell a database from random bytes or a cut file.
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    except (OperationalError, DatabaseError) as error:
        database.close()
        message = str(getattr(error, "orig", error)).strip().splitlines()[0]
        if database.backend == "postgresql":
            from plantui.store.server import connect_error

            raise connect_error(database.location, error) from None
        if "not a database" in message or "malformed" in message:
            raise StoreError(
                f"{database.display} is not a usable database ({message}); nothing was changed"
            ) from None
        raise _store_error(database.location, error) from None
