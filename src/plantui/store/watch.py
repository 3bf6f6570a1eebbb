"""Waking a window when the plan changes, so it can fetch what changed (`queries.changes_after`).

On PostgreSQL every change sends a notification when it commits (`NOTIFY plantui_history`), and a
`HistoryWatcher` listening on its own connection wakes as soon as one arrives. A SQLite file has no
such signal, so the same `wait()` simply sleeps the polling interval. Either way the caller's loop is
the same, and polling by id stays the source of truth (a notification only says "look now"):

    with HistoryWatcher(database) as watcher:
        seen = latest_history_id(database)
        while running:
            for entry in changes_after(database, seen): ...; seen = entry.id
            watcher.wait(5.0)
"""

from __future__ import annotations

import threading
from types import TracebackType

from sqlalchemy import Connection, text

from plantui.store.database import Database

CHANNEL = "plantui_history"


def notify_change(conn: Connection, history_id: int) -> None:
    """Inside a write: tell listeners a change was recorded (PostgreSQL delivers it at commit)."""
    if conn.dialect.name == "postgresql":
        payload = {"channel": CHANNEL, "payload": str(history_id)}
        conn.execute(text("SELECT pg_notify(:channel, :payload)"), payload)


class HistoryWatcher:
    """Waits until someone records a change (PostgreSQL), or for the interval (SQLite)."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._connection = None  # a driver connection that LISTENs, on PostgreSQL
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
        return self

    def wait(self, timeout: float) -> bool:
        """True as soon as a change is recorded; False after `timeout` seconds without one (or on
        SQLite, which cannot say), or once `stop()` was called."""
        if self._connection is None:
            self._stopped.wait(timeout)
            return False
        arrived = False
        for _ in self._connection.notifies(timeout=timeout, stop_after=1):
            arrived = True
        # Several changes at once are one wake-up: drain what else has already arrived.
        for _ in self._connection.notifies(timeout=0):
            pass
        return arrived

    def stop(self) -> None:
        self._stopped.set()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
        if self._connection is not None:
            self._connection.close()
            self._connection = None
