"""Checks of a SQLite file on disk, before and without an engine: is it a whole plantui database?

A leaf of the store: it uses only `sqlite3`, the file's location, the known schema revisions and
`schema_check`, so opening (`plantui.store.opening`), backups and restore can all ask it without
importing one another. The checks: the 100-byte header (empty, not SQLite, cut short), a hot rollback
journal left by a crash, and a copy offered for restore compared with plantui's own schema.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

from plantui.domain.errors import InputError, NotFoundError, StoreError
from plantui.domain.text import visible
from plantui.store import schema_check
from plantui.store.location import Location, sqlite_uri
from plantui.store.revisions import HEAD_REVISION, KNOWN_REVISIONS

BUSY_TIMEOUT_SECONDS = 30


SQLITE_HEADER = b"SQLite format 3\x00"


def on_read_only_media(path: Path) -> bool:
    """A file in a folder nobody here can write, with no `-shm` beside it: SQLite cannot make the
    shared-memory file a WAL reader needs there."""
    return not os.access(path.parent, os.W_OK) and not Path(f"{path}-shm").exists()


def file_size(path: Path) -> int:
    """The file's size, 0 when there is none: another process may remove a `-wal` at any moment (its
    last connection closing), so an exists-then-stat pair could fail in between."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def has_pending_wal(path: Path) -> bool:
    return file_size(Path(f"{path}-wal")) > 0


def set_aside_leftovers(path: Path) -> list[str]:
    """Clear the way for a new file at `path`, where none is now, of the `-wal`, `-journal` and `-shm`
    an earlier file of that name left behind (deleted by hand while a program had it open, or before
    its last writer closed). SQLite ties none of them to the file they were written for: a new file
    would take the old file's pages from them and read as damaged. A `-wal` or `-journal` with
    something in it is kept under a new name beside it; an empty one, and the `-shm` (an index
    SQLite rebuilds), are removed. Returns one line per file kept, for the user."""
    said: list[str] = []
    if os.path.lexists(path):  # a file is there after all (made meanwhile): these are its own
        return said
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for suffix in ("-wal", "-journal", "-shm"):
        leftover = Path(f"{path}{suffix}")
        try:
            if suffix == "-shm" or leftover.stat().st_size == 0:
                leftover.unlink()
                continue
            kept = leftover.with_name(f"{leftover.name}.left-{stamp}")
            os.replace(leftover, kept)
        except FileNotFoundError:
            continue
        except OSError as error:
            raise StoreError(
                f"{leftover} is left from an earlier {path.name} and could not be moved aside "
                f"({error.strerror or error}): move it away, then try again; nothing was written"
            ) from None
        said.append(
            f"{leftover} was left from an earlier {path.name} that is gone; kept as {kept.name} "
            "so the new file starts clean"
        )
    return said


class UnusableFileError(StoreError):
    """The file is not a whole plantui database: empty, cut short, random bytes, another program's."""

    hinted = False  # already names the newest backup


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
    if file_size(wal) > 0:
        return ""  # a checkpoint cut short by a crash is finished from the WAL on open
    expected = pages * page_size
    actual = path.stat().st_size
    if actual < expected:
        return f"is cut short ({actual} of {expected} bytes), so it is not a whole database"
    return ""


def is_sqlite_file(path: Path) -> bool:
    """Whether the file starts with SQLite's header (it may still be cut short or damaged)."""
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def check_backup_file(path: Path) -> str:
    """Check a file is a whole plantui database this plantui can open; return its schema revision.

    Raises `StoreError` with the reason otherwise. Reads the file only.
    """
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
            known = revision if revision in KNOWN_REVISIONS else HEAD_REVISION
            if "alembic_version" not in names or not names >= schema_check.plantui_tables(known):
                raise StoreError(
                    f"{path} is a database of another program, not a plantui one; nothing was changed"
                )
            if revision in KNOWN_REVISIONS:
                problem = schema_check.sqlite_schema_problem(conn, revision)
                if problem:
                    raise StoreError(f"{path} {problem}: it cannot be restored; nothing was changed")
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise StoreError(f"{path} is not a usable database ({error}); nothing was changed") from None
    if revision not in KNOWN_REVISIONS:
        raise StoreError(
            f"{path} was made by a newer plantui (schema {revision}; this plantui knows up to "
            f"{HEAD_REVISION}): upgrade plantui to restore it; nothing was changed"
        )
    return revision
