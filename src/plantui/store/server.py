"""Plan stores on a database server (PostgreSQL): the engine, the write lock, and safe error messages.

Writes are serialised per plan store, as SQLite's `BEGIN IMMEDIATE` does for a file: every write
transaction first takes a transaction-scoped advisory lock, held for the few milliseconds until it
commits. So two people changing the same action never lose a change (the second waits, then reads the
action as the first left it), history ids are handed out in commit order (which is what lets
`queries.changes_after` poll by id without missing a change that committed late), and "the newest
change" that undo reverses is well defined. Readers never wait for it.

Nothing here ever puts a secret into a message: URLs are shown through `Location.display`, a driver
message is scrubbed of every secret the URL carries (`location.url_secrets`) before it is shown, and
secrets in the URL's query are given to the driver beside the URL so an engine's repr cannot show them.
"""

from __future__ import annotations

import weakref

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from plantui.domain.errors import StoreError
from plantui.store.location import HIDDEN, Location, is_secret_key, raw_at_in_password, url_secrets

# pg_advisory_xact_lock takes a bigint: this one is "plantui" in ASCII, unlikely to meet another app's.
WRITE_LOCK_KEY = 0x706C616E747569
CONNECT_TIMEOUT_SECONDS = 10
LOCK_TIMEOUT_SECONDS = 30  # as SQLite's busy timeout in plantui.store.sqlite_file
# The secrets each engine's URL carried in its query, given to the driver beside the URL (see below).
_QUERY_SECRETS: weakref.WeakKeyDictionary[Engine, dict[str, object]] = weakref.WeakKeyDictionary()
SUPPORTED = "a SQLite file or a PostgreSQL URL (postgresql+psycopg://user@host/dbname)"


def parse_url(location: Location) -> URL:
    """The location's URL, or a one-line `StoreError` that does not repeat what was typed."""
    try:
        url = make_url(location.url)
    except (ArgumentError, ValueError):
        raise StoreError(f"{location.display} is not a database URL: --db takes {SUPPORTED}") from None
    backend = url.get_backend_name()
    if backend not in ("postgresql", "sqlite"):
        raise StoreError(f"{location.display}: plantui cannot keep a plan in {backend}: use {SUPPORTED}")
    return url


def server_engine(location: Location, *, readonly: bool, write_option: str) -> Engine:
    """An engine for a server URL. Write transactions (those with `write_option` set) take the lock."""
    url = parse_url(location)
    # Secrets in the query (?password=, ?sslpassword=...) go to the driver beside the URL, not in it:
    # an engine shows its URL (in reprs, in tracebacks) hiding only the user:password@ part.
    secrets = {key: value for key, value in url.query.items() if is_secret_key(key)}
    url = url.difference_update_query(secrets)
    connect_args: dict[str, object] = dict(secrets)
    if url.get_backend_name() == "postgresql":
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
        connect_args["application_name"] = "plantui"
        if readonly:
            connect_args["options"] = "-c default_transaction_read_only=on"
    try:
        engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    except (NoSuchModuleError, ImportError) as error:
        driver = url.get_driver_name()
        raise StoreError(
            f"{location.display}: the database driver {driver!r} is not installed "
            f"({type(error).__name__}); use postgresql+psycopg://user@host/dbname"
        ) from None
    _QUERY_SECRETS[engine] = secrets
    if engine.dialect.name == "postgresql":

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            if conn.get_execution_options().get(write_option, False):
                take_write_lock(conn)

    return engine


def take_write_lock(conn: Connection) -> None:
    """Wait for, then hold until this transaction ends, the store's one write lock (PostgreSQL).

    Like SQLite's busy timeout, the wait is bounded: a change stuck behind a transaction that never
    ends fails with a clear message instead of hanging the window.
    """
    conn.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_SECONDS}s'"))
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})


def driver_arguments(engine: Engine) -> dict[str, object]:
    """What the engine's driver connects with, the query's secrets included (for a connection of our own)."""
    _, arguments = engine.dialect.create_connect_args(engine.url)
    return {**arguments, **_QUERY_SECRETS.get(engine, {})}


def scrub(message: str, location: Location) -> str:
    """A driver's message with every secret the URL carries blanked out, in case it echoes one."""
    for secret in url_secrets(location.url):
        message = message.replace(secret, HIDDEN)
    return message


def connect_error(location: Location, error: Exception) -> StoreError:
    """One line for a server that cannot be reached or refuses us: what happened and what to try."""
    lines = [line.strip() for line in str(getattr(error, "orig", error)).strip().splitlines() if line.strip()]
    reason = lines[0] if lines else type(error).__name__
    # libpq says "connection to server at "host", port N failed: FATAL:  <why>": keep the why.
    reason = reason.removeprefix("connection failed: ")
    if " failed: " in reason:
        reason = reason.rsplit(" failed: ", 1)[1]
    reason = reason.removeprefix("FATAL:").strip()
    hint = ""
    if raw_at_in_password(location.url):
        hint = " (write an @ in the URL's password as %40)"
    elif "password" in reason:
        hint = " (plantui takes the password from PGPASSWORD, ~/.pgpass or the URL)"
    elif "Connection refused" in reason or "No such file or directory" in reason:
        hint = " (is the server running, and are the host and port right?)"
    return StoreError(f"cannot connect to {location.display}: {scrub(reason, location)}{hint}")
