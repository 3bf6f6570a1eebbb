"""Where the plan store lives: `--db`, else `PLANTUI_DB`, else a file in the user's data folder.

Resolved lazily: importing this module touches nothing on disk.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_from_bytes, unquote, urlencode

DB_ENV = "PLANTUI_DB"
DEFAULT_FILENAME = "plantui.db"
# libpq's own URL forms name no Python driver; plantui ships psycopg 3, so they mean that.
DRIVERLESS_POSTGRES = ("postgres://", "postgresql://")


@dataclass(frozen=True, slots=True)
class Location:
    """A database to open: a SQLite file path, or a SQLAlchemy URL for a server."""

    url: str
    path: Path | None  # the SQLite file, when it is one

    def __repr__(self) -> str:
        # Reprs end up in tracebacks with locals (Textual prints those): never with a password.
        return f"Location({self.display!r})"

    @property
    def is_sqlite_file(self) -> bool:
        return self.path is not None

    @property
    def display(self) -> str:
        """How to name the database to a user: the path, or the URL without its password."""
        if self.path is not None:
            return str(self.path)
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            # Unquoted so a socket folder reads as one (`host=/run/postgresql`); the password is gone.
            return unquote(make_url(self.url).render_as_string(hide_password=True))
        except (ArgumentError, ValueError):  # not a URL SQLAlchemy reads: still hide what may be a password
            return re.sub(r"(://[^/@:]*):[^/]*@", r"\1:***@", self.url)


def default_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("plantui", appauthor=False)) / DEFAULT_FILENAME


def resolve(db: str | os.PathLike[str] | None = None) -> Location:
    """The database named by `db`, or by `PLANTUI_DB`, or the default file."""
    target = os.fspath(db) if db else os.environ.get(DB_ENV) or None
    if target is None:
        path = default_path()
    elif "://" in target:
        if target.startswith("sqlite:///") and target != "sqlite:///:memory:":
            # A URL's path is percent-encoded: `sqlite:///Plan%20one.db` names `Plan one.db`.
            path = Path(unquote(target.removeprefix("sqlite:///")))
        else:
            return Location(url=_with_driver(target), path=None)
    else:
        path = Path(target).expanduser()
    return file_location(path)


def file_location(path: Path) -> Location:
    """The location of the SQLite file at `path`, with a URL that names exactly that file."""
    path = path.absolute()
    return Location(url=sqlite_url(path), path=path)


def sqlite_url(path: Path) -> str:
    """A SQLAlchemy URL for the file at `path`, percent-encoded so that `#`, `?`, `%` and the like in
    a file name stay part of the name (pasted in as they are, `what?.db` would open `what`)."""
    return "sqlite:///" + quote_from_bytes(os.fsencode(path.absolute()), safe="/")


def sqlite_uri(path: Path, **parameters: str) -> str:
    """A SQLite `file:` URI for `path` with URI parameters (`mode="ro"`), for `sqlite3.connect(...,
    uri=True)`. Built by `Path.as_uri()`, which percent-encodes the name: a `#` pasted into a URI would
    end the file name there, and SQLite would open (or create) another file."""
    uri = path.absolute().as_uri()
    return f"{uri}?{urlencode(parameters)}" if parameters else uri


def _with_driver(url: str) -> str:
    """`postgresql://...` (as psql and libpq write it) as the SQLAlchemy URL plantui can open."""
    for prefix in DRIVERLESS_POSTGRES:
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def writable_file(path: Path) -> tuple[bool, str]:
    """Whether plantui may write to the database file at `path`, and if not, why (", (its folder is
    not writable)"-style words to append to the file's name). SQLite needs the folder too, for its
    journal and WAL files."""
    if not os.access(path, os.W_OK):
        return False, " (the file is not writable)"
    if not os.access(path.parent, os.W_OK):
        return False, " (its folder is not writable)"
    return True, ""
