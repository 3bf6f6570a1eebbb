"""Waking a window as soon as the plan changes, so it can fetch what changed (`queries.changes_after`).

On PostgreSQL every change sends a notification when it commits (`NOTIFY plantui_history`), and a
`HistoryWatcher` listening on its own connection wakes as soon as one arrives. On a SQLite file the
watcher keeps a connection of its own and asks it `PRAGMA data_version` every `SQLITE_POLL_SECONDS`:
the number moves whenever any other connection, in any process, commits to the file (a change, an
`import --force`, a restore), and asking costs a few microseconds without reading a page. It also
notices the file itself being swapped for another (a new inode) and wakes for that too. Either way
the caller's loop is the same, and polling by id stays the source of truth (a wake-up only says
"look now"; `queries.history_break` says when the history no longer continues from what was seen):

    with HistoryWatcher(database) as watcher:
        seen = latest_history_id(database)
        while running:
            for entry in changes_after(database, seen): ...; seen = entry.id
            watcher.wait(5.0)
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from types import TracebackType

from sqlalchemy import Connection, text

from plantui.store.database import Database
from plantui.store.location import sqlite_uri

CHANNEL = "plantui_history"
SQLITE_POLL_SECONDS = 0.05  # how often a SQLite file is asked whether someone committed to it


def notify_change(conn: Connection, history_id: int) -> None:
    """Inside a write: tell listeners a change was recorded (PostgreSQL delivers it at commit)."""
    if conn.dialect.name == "postgresql":
        payload = {"channel": CHANNEL, "payload": str(history_id)}
        conn.execute(text("SELECT pg_notify(:channel, :payload)"), payload)


class HistoryWatcher:
    """Waits until someone commits a change to the plan (PostgreSQL: a notification; SQLite: the
    file's data version moved), for at most the given time. See the module's docstring."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._connection = None  # a driver connection that LISTENs, on PostgreSQL
        self._file: sqlite3.Connection | None = None  # a connection of its own to the SQLite file
        self._file_mark: tuple[int, int, int] | None = None  # (inode, device, data version) last seen
        self._stopped = threading.Event()

    def __enter__(self) -> HistoryWatcher:
        if self._database.backend == "postgresql":
            import psycopg

            from plantui.store.server import CONNECT_TIMEOUT_SECONDS, connect_error, driver_arguments

            arguments = driver_arguments(self._database.engine)
            try:
                self._connection = psycopg.connect(
                    **arguments, connect_timeout=CONNECT_TIMEOUT_SECONDS, autocommit=True
                )
            except psycopg.OperationalError as error:
                raise connect_error(self._database.location, error) from None
            self._connection.execute(f"LISTEN {CHANNEL}")
        else:
            self._open_file()
        return self

    def _open_file(self) -> None:
        """A read-only connection to the SQLite file whose data version is watched. A file read from
        a private copy (read-only media) never changes, and one that cannot be opened this way is
        left to the caller's timeout: then `wait` sleeps, as before there was a way to be told."""
        path = self._database.location.path
        if path is None or self._database.private_copy is not None:
            return
        try:
            self._file = sqlite3.connect(
                sqlite_uri(path, mode="ro"), uri=True, isolation_level=None, check_same_thread=False
            )
            self._file_mark = self._read_file_mark()
        except (sqlite3.Error, OSError):
            self._close_file()

    def _read_file_mark(self) -> tuple[int, int, int]:
        assert self._file is not None
        path = self._database.location.path
        assert path is not None
        status = os.stat(path)
        (version,) = self._file.execute("PRAGMA data_version").fetchone()
        return status.st_ino, status.st_dev, version

    def _file_changed(self) -> bool:
        """Whether anyone committed to the file, or swapped it for another, since the last look."""
        try:
            mark = self._read_file_mark()
        except (sqlite3.Error, OSError):
            mark = None
        if mark is not None and mark == self._file_mark:
            return False
        if mark is None or self._file_mark is None or mark[:2] != self._file_mark[:2]:
            # Another file in its place (or none for a moment): watch the one there now.
            self._close_file()
            self._open_file()
        else:
            self._file_mark = mark
        return True

    def _close_file(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file = None
        self._file_mark = None

    def wait(self, timeout: float) -> bool:
        """True as soon as a change is committed; False after `timeout` seconds without one (or when
        the store cannot say), or once `stop()` was called."""
        if self._connection is not None:
            arrived = False
            for _ in self._connection.notifies(timeout=timeout, stop_after=1):
                arrived = True
            # Several changes at once are one wake-up: drain what else has already arrived.
            for _ in self._connection.notifies(timeout=0):
                pass
            return arrived
        if self._file is None:
            self._open_file()  # the file may be back (or readable) by now
        if self._file is None:
            self._stopped.wait(timeout)
            return False
        deadline = time.monotonic() + timeout
        while not self._stopped.is_set():
            if self._file_changed():
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self._stopped.wait(min(SQLITE_POLL_SECONDS, left))
        return False

    def stop(self) -> None:
        self._stopped.set()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._close_file()
