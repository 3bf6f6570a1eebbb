"""Where the plan store lives: `--db`, else `PLANTUI_DB`, else a file in the user's data folder.

Resolved lazily: importing this module touches nothing on disk.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

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
            path = Path(target.removeprefix("sqlite:///"))
        else:
            return Location(url=_with_driver(target), path=None)
    else:
        path = Path(target).expanduser()
    path = path.absolute()
    return Location(url=f"sqlite:///{path}", path=path)


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
