"""An open plan store (`Database`): its engine, its read and write transactions, its errors in one line.

SQLite runs in WAL mode with foreign keys on and a busy timeout, and every write transaction starts
with `BEGIN IMMEDIATE`, so a second window or a CLI call waits its turn instead of failing with
"database is locked" half-way through a change. A PostgreSQL URL gets the same guarantee from a
write lock (see `plantui.store.server`). Opening a store, which checks the file and the schema
first, is `plantui.store.opening`.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import URL, Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, DataError, OperationalError, ProgrammingError

from plantui.domain.errors import ReadOnlyError, StoreError
from plantui.store.backup import with_backup_hint
from plantui.store.location import Location, sqlite_uri
from plantui.store.sqlite_file import BUSY_TIMEOUT_SECONDS, UnusableFileError, on_read_only_media

WRITE_OPTION = "plantui_write"  # the execution option that marks a write transaction


@dataclass
class Database:
    """An open plan store. Use `read()` and `write()` for transactions."""

    location: Location
    engine: Engine
    readonly: bool = False
    readonly_reason: str = ""
    notices: list[str] = field(default_factory=list)  # things the caller should tell the user
    created: bool = False  # this open made the file (see `journal_for_first_load`)
    private_copy: Path | None = None  # what is read instead of a file on read-only media (see below)

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
            raise permission_error(self.location, error, "") from None

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction that changes the plan: committed on success, rolled back on error."""
        if self.readonly:
            raise ReadOnlyError(f"{self.display} is read-only{self.readonly_reason}: nothing was saved")
        try:
            with self.engine.execution_options(**{WRITE_OPTION: True}).connect() as conn, conn.begin():
                yield conn
        except OperationalError as error:
            raise _store_error(self.location, error) from None
        except DataError as error:  # e.g. text PostgreSQL cannot hold (a NUL character)
            message = str(error.orig).strip().splitlines()[0]
            raise StoreError(f"{self.display}: {message}; nothing was saved") from None
        except ProgrammingError as error:
            raise permission_error(self.location, error, "; nothing was saved") from None

    def connection_user(self) -> str | None:
        """The user a database server knows this connection as (None for a SQLite file): who made a
        change, unless --author says."""
        if self.backend != "postgresql":
            return None
        with self.read() as conn:
            return str(conn.execute(text("SELECT current_user")).scalar_one())

    def close(self) -> None:
        self.engine.dispose()
        if self.private_copy is not None:
            shutil.rmtree(self.private_copy.parent, ignore_errors=True)
            self.private_copy = None


def permission_error(location: Location, error: ProgrammingError, outcome: str) -> Exception:
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
    if _disk_full(location, message):
        return StoreError(f"{location.display}: disk full (no room to save the change); nothing was saved")
    return StoreError(f"{location.display}: {message}")


_DISK_FULL_SIGNS = ("database or disk is full", "No space left on device", "could not extend file")
_NEARLY_FULL_BYTES = 1024 * 1024


def _disk_full(location: Location, message: str) -> bool:
    """Whether SQLite's (or the server's) words mean the disk is full. SQLite says "database or disk is
    full", or, when growing its shared-memory file fails, "disk I/O error": that one is taken for a full
    disk only when the database's folder has next to no space left."""
    if any(sign in message for sign in _DISK_FULL_SIGNS):
        return True
    if "disk I/O error" not in message or location.path is None:
        return False
    try:
        return shutil.disk_usage(location.path.parent).free < _NEARLY_FULL_BYTES
    except OSError:
        return False


def private_read_copy(path: Path) -> Path:
    """A byte copy of a file on read-only media and its `-wal`, in a private temporary folder, so the
    changes still in the `-wal` are read too (an immutable open would skip them)."""
    folder = Path(tempfile.mkdtemp(prefix="plantui-"))
    copy = folder / path.name
    try:
        for source, target in ((path, copy), (Path(f"{path}-wal"), Path(f"{copy}-wal"))):
            fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
            shutil.copyfile(source, target)
    except OSError as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise StoreError(f"cannot read {path}: {error.strerror or error}") from None
    return copy


def sqlite_engine(location: Location, readonly: bool, read_path: Path | None = None) -> Engine:
    """An engine for the SQLite file; a read-only one reads `read_path` instead when given (a private
    copy of a file on read-only media)."""
    assert location.path is not None
    url: str | URL = location.url
    if readonly:
        query = {"mode": "ro", "uri": "true"}
        if read_path is None and on_read_only_media(location.path):
            # Nobody can write there, and no -wal holds changes the file lacks (see `opening.open_database`):
            # the file can be read as it stands.
            query["immutable"] = "1"
        # Made as a URL object, not parsed from a string, so the URI's percent-escapes reach SQLite.
        url = URL.create("sqlite", database=sqlite_uri(read_path or location.path), query=query)
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
            # WAL is switched on once the file is known to be a plantui database (it is written into
            # the file's header); NORMAL is safe in WAL mode: a crash loses no committed change.
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "handle_error")
    def _on_error(context) -> Exception | None:
        # Damage inside a file shows on the first read of a bad page, as a bare sqlite3.DatabaseError
        # (constraint and operational errors are its subclasses and pass through as they are).
        original = context.original_exception
        if type(original) is sqlite3.DatabaseError:
            message = str(original).strip().splitlines()[0]
            return with_backup_hint(
                UnusableFileError(f"{location.display} is damaged ({message})"), location.path
            )
        return None

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # The driver is in autocommit mode (isolation_level=None) so that we choose how to begin.
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def use_wal(database: Database) -> None:
    _set_journal_mode(database, "wal")


def _set_journal_mode(database: Database, mode: str) -> bool:
    """Switch the file's journal mode; False when SQLite would not (another connection has it open)."""
    raw = database.engine.raw_connection()  # outside a transaction, which WAL cannot be switched in
    try:
        now = raw.driver_connection.execute(f"PRAGMA journal_mode = {mode}").fetchone()[0]
    except sqlite3.OperationalError:
        return False
    finally:
        raw.close()
    return now == mode


@contextmanager
def journal_for_first_load(database: Database) -> Iterator[None]:
    """Write a plan into a file this open created with SQLite's rollback journal, then switch WAL on.

    In WAL mode every page of a large load is written twice: into the WAL, then into the file when
    the WAL is checkpointed at the commit. A new file has no pages for a rollback journal to save, so
    there the load is written once (importing the 10,000-action plan: 0.1-0.5 s less wall time here)
    and stays all-or-nothing: an error rolls it back, and after a crash SQLite rolls it back from the
    journal. Any other file keeps WAL, where a rollback journal would copy every page it changes.
    """
    switched = (
        database.created
        and database.backend == "sqlite"
        and not database.readonly
        and _set_journal_mode(database, "delete")
    )
    try:
        yield
    finally:
        if switched:
            use_wal(database)


def connect_check(database: Database) -> None:
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
            raise UnusableFileError(
                f"{database.display} is not a usable database ({message}); nothing was changed"
            ) from None
        raise _store_error(database.location, error) from None
