"""Where the plan store lives: `--db`, else `PLANTUI_DB`, else a file in the user's data folder.

Resolved lazily: importing this module touches nothing on disk.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_from_bytes, unquote, unquote_plus, urlencode

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
        """How to name the database to a user: the path, or the URL with every secret it holds hidden."""
        if self.path is not None:
            return str(self.path)
        return scrub_url(self.url)


# Query keys whose values are secrets, or name where one is kept: libpq's password, sslpassword,
# passfile and sslkey, and anything a driver may call a secret or a token. Matched anywhere in the key.
SECRET_KEY_WORDS = ("pass", "secret", "token", "key")
HIDDEN = "***"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
# The credentials as SQLAlchemy reads them: a user up to ':' or '/', a password up to the first '@'.
_CREDENTIALS = re.compile(r"(?P<user>[^:/]*)(?::(?P<password>[^@]*))?@", re.DOTALL)


@dataclass(frozen=True, slots=True)
class _UrlParts:
    scheme: str
    user: str | None  # None when the URL names no user
    has_password: bool  # `user:...@`
    raw_at_in_password: bool  # `user:pa@ss@host`: SQLAlchemy takes `ss@host` for the host
    secrets: tuple[str, ...]  # as typed: the password, stray parts of it, secret query values
    where: str  # host, port and database, as typed
    query: tuple[tuple[str, str | None], ...]  # (key, value or None when hidden); value "" for a bare key


def is_secret_key(key: str) -> bool:
    name = unquote_plus(key).strip().lower()
    return any(word in name for word in SECRET_KEY_WORDS)


def _url_parts(url: str) -> _UrlParts | None:
    """The parts of a URL that matter for showing it, read as forgivingly as SQLAlchemy reads it."""
    scheme = _SCHEME.match(url)
    if scheme is None:
        return None
    rest = url[scheme.end() :]
    secrets: list[str] = []
    user, has_password, raw_at = None, False, False
    credentials = _CREDENTIALS.match(rest)
    if credentials is not None:
        user, password = credentials.group("user"), credentials.group("password")
        rest = rest[credentials.end() :]
        if password is not None:
            has_password = True
            secrets.append(password)
            # A password typed with a raw '@' leaves its tail where the host should be: hide that too.
            host_end = min((i for i in (rest.find("/"), rest.find("?")) if i >= 0), default=len(rest))
            tail = rest.rfind("@", 0, host_end)
            if tail >= 0:
                raw_at = True
                secrets.append(rest[:tail])
                rest = rest[tail + 1 :]
    where, mark, query_text = rest.partition("?")
    query: list[tuple[str, str | None]] = []
    hiding = False
    for piece in query_text.split("&") if mark else ():
        key, equals, value = piece.partition("=")
        if not equals and hiding:  # a raw '&' inside a secret value: the rest of it
            secrets.append(piece)
            continue
        hiding = is_secret_key(key)
        if hiding:
            secrets.append(value)
        query.append((key, None if hiding else value if equals else ""))
    return _UrlParts(
        scheme.group(), user, has_password, raw_at, tuple(s for s in secrets if s), where, tuple(query)
    )


def scrub_url(url: str) -> str:
    """`url` fit to show: a password (`user:pw@`, `?password=`) and every secret query value (sslpassword,
    passfile...) replaced by ***, even in a URL SQLAlchemy cannot read. Percent-escapes are decoded so a
    socket folder reads as one (`host=/run/postgresql`)."""
    parts = _url_parts(url)
    if parts is None:
        return url
    shown = parts.scheme
    if parts.user is not None:
        shown += unquote(parts.user) + (f":{HIDDEN}" if parts.has_password else "") + "@"
    shown += unquote(parts.where)
    if parts.query:
        pairs = []
        for key, value in parts.query:
            if value is None:
                pairs.append(f"{unquote_plus(key)}={HIDDEN}")
            else:
                pairs.append(f"{unquote_plus(key)}={unquote_plus(value)}" if value else unquote_plus(key))
        shown += "?" + "&".join(pairs)
    return shown


def raw_at_in_password(url: str) -> bool:
    """Whether the password in `url` holds an '@' that was not written as %40 (the URL then misreads)."""
    parts = _url_parts(url)
    return parts is not None and parts.raw_at_in_password


def url_secrets(url: str) -> list[str]:
    """Every secret `url` carries, as typed and decoded, longest first: what to blank out of a message."""
    parts = _url_parts(url)
    if parts is None:
        return []
    found: set[str] = set()
    for secret in parts.secrets:
        for piece in (secret, *secret.split("@")):
            found.update(form for form in (piece, unquote(piece), unquote_plus(piece)) if form.strip())
    return sorted(found, key=len, reverse=True)


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
