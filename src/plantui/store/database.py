"""Opening the plan store: checking the file, connecting, and bringing the schema up to date.

SQLite runs in WAL mode with foreign keys on and a busy timeout, and every write transaction starts
with `BEGIN IMMEDIATE`, so a second window or a CLI call waits its turn instead of failing with
"database is locked" half-way through a change. A PostgreSQL URL gets the same guarantee from a
write lock (see `plantui.store.server`).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import URL, Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, DataError, OperationalError, ProgrammingError

from plantui.domain.errors import NotFoundError, ReadOnlyError, StoreError
from plantui.store.backup import DEFAULT_KEEP
from plantui.store.location import Location, resolve, sqlite_uri, writable_file

BUSY_TIMEOUT_SECONDS = 30
SQLITE_HEADER = b"SQLite format 3\x00"
_WRITE = "plantui_write"
DEFAULT_BACKUPS_KEEP = DEFAULT_KEEP  # the `backups_keep` setting's default


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
        if self.private_copy is not None:
            shutil.rmtree(self.private_copy.parent, ignore_errors=True)
            self.private_copy = None


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


def _on_read_only_media(path: Path) -> bool:
    """A file in a folder nobody here can write, with no `-shm` beside it: SQLite cannot make the
    shared-memory file a WAL reader needs there."""
    return not os.access(path.parent, os.W_OK) and not Path(f"{path}-shm").exists()


def _size(path: Path) -> int:
    """The file's size, 0 when there is none: another process may remove a `-wal` at any moment (its
    last connection closing), so an exists-then-stat pair could fail in between."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _has_pending_wal(path: Path) -> bool:
    return _size(Path(f"{path}-wal")) > 0


def _private_read_copy(path: Path) -> Path:
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


def _sqlite_engine(location: Location, readonly: bool, read_path: Path | None = None) -> Engine:
    """An engine for the SQLite file; a read-only one reads `read_path` instead when given (a private
    copy of a file on read-only media)."""
    assert location.path is not None
    url: str | URL = location.url
    if readonly:
        query = {"mode": "ro", "uri": "true"}
        if read_path is None and _on_read_only_media(location.path):
            # Nobody can write there, and no -wal holds changes the file lacks (see open_database):
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
        write = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


class UnusableFileError(StoreError):
    """The file is not a whole plantui database: empty, cut short, random bytes, another program's."""

    hinted = False  # already names the newest backup


def with_backup_hint(error: UnusableFileError, path: Path | None) -> UnusableFileError:
    """The same error, naming the newest backup copy (if there is one) so the user knows the way back."""
    from plantui.store.backup import newest_backup

    copy = newest_backup(path) if path is not None and not error.hinted else None
    if copy is None:
        return error
    hinted = UnusableFileError(f"{error}; the newest backup is {copy} (plantui restore {copy})")
    hinted.hinted = True
    return hinted


def check_sqlite_file(location: Location) -> None:
    """Refuse a file that is not a SQLite database, before SQLite gets to say something obscure."""
    path = location.path
    assert path is not None
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a plantui database")
    problem = header_problem(path)
    if problem:
        raise UnusableFileError(f"{path} {problem}; nothing was changed")


def roll_back_hot_journal(path: Path) -> None:
    """Let SQLite roll back the rollback journal a crashed write left beside the file, if there is one.

    A load into a new file is written with a rollback journal (see `journal_for_first_load`); killed
    half-way, it leaves a file whose header already counts pages that were never written, beside the
    `-journal` that undoes them. SQLite plays such a journal back on the first read, so read once before
    the size check would call the file cut short (and a restore would then wipe what the journal
    holds). A journal that is not hot (a transaction in another process is still running) is left to
    that process; a folder this process cannot write is left as it is.
    """
    journal = Path(f"{path}-journal")
    try:
        if journal.stat().st_size == 0:
            return
    except OSError:
        return  # no journal
    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return
    try:
        conn = sqlite3.connect(sqlite_uri(path, mode="rw"), uri=True, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # not a database, or damaged: the checks that follow say which, in plantui's words


def _special_kind(path: Path) -> str:
    """What a path that is not a regular file is ("a named pipe (FIFO)"), or "" for a regular file
    (or one that cannot be looked at: the open that follows says why)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return ""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return ""  # a folder: its callers say so in their own words


def header_problem(path: Path) -> str:
    """What is wrong with a file, judged by its 100-byte SQLite header, or "" when nothing is."""
    kind = _special_kind(path)
    if kind:
        # Never opened: reading a named pipe waits for a writer that may never come.
        return f"is {kind}, not a file, so it is not a plantui database"
    try:
        with path.open("rb") as handle:
            header = handle.read(100)  # the whole SQLite file header
    except OSError as error:
        raise StoreError(f"{path} cannot be read: {error.strerror or error}") from None
    if not header:
        return "is empty (zero bytes), so it is not a plantui database"
    if not header.startswith(SQLITE_HEADER):
        return "is not a SQLite database, so it is not a plantui database"
    return truncation(path, header)


def truncation(path: Path, header: bytes) -> str:
    """Why a SQLite file is shorter than its own header says, or "" when it is whole.

    Catches a file a sync tool or a full disk stopped copying half-way, before SQLite reads garbage.
    """
    if len(header) < 100:
        return "is cut short (its header is incomplete), so it is not a whole database"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    change_counter = header[24:28]
    valid_for = header[92:96]
    if pages == 0 or change_counter != valid_for:
        return ""  # an old writer left no trustworthy size; SQLite checks the rest
    wal = Path(f"{path}-wal")
    if _size(wal) > 0:
        return ""  # a checkpoint cut short by a crash is finished from the WAL on open
    expected = pages * page_size
    actual = path.stat().st_size
    if actual < expected:
        return f"is cut short ({actual} of {expected} bytes), so it is not a whole database"
    return ""


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
    try:
        if not path.exists():
            if not create or readonly:
                raise NotFoundError(f"{path} does not exist")
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
        if readonly and _on_read_only_media(path) and _has_pending_wal(path):
            private_copy = _private_read_copy(path)
        database = Database(
            location,
            _sqlite_engine(location, readonly, private_copy),
            readonly=readonly,
            readonly_reason=reason,
            created=created,
            private_copy=private_copy,
        )
        try:
            _connect_check(database)
            if migrate:
                schema.ensure_current(database, new_file=created)
                if not database.readonly:
                    _use_wal(database)
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


def _use_wal(database: Database) -> None:
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
            _use_wal(database)


def _daily_backup(database: Database, keep: int) -> None:
    from plantui.store.backup import take_daily_backup

    try:
        take_daily_backup(database, keep)
    except StoreError as error:  # a backup that cannot be taken must not stop the day's work
        database.notices.append(f"today's backup was not taken: {error}")


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
            raise UnusableFileError(
                f"{database.display} is not a usable database ({message}); nothing was changed"
            ) from None
        raise _store_error(database.location, error) from None
