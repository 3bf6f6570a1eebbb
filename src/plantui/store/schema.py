"""Bringing a database to the current schema with the Alembic migrations shipped in the package.

The current revision is read with one query; Alembic itself is imported only when there is work to
do, so opening an up-to-date store stays fast. Before migrating an existing file, a backup copy is
taken. A database from a newer plantui is refused for writing rather than risked, and one holding
another application's tables, or schema objects plantui did not make (`plantui.store.schema_check`),
is refused outright.

An empty SQLite file (a new store, e.g. the one `plantui import` makes) has nothing to migrate: it
gets the current tables straight from `plantui.store.tables` and Alembic's version table stamped with
the head revision, the same schema the migrations build (tests compare the two, and upgrade both
alike), without importing Alembic and running every migration in turn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Column, Connection, MetaData, PrimaryKeyConstraint, String, Table, inspect, text

from plantui.domain.errors import StoreError
from plantui.domain.text import visible
from plantui.store import schema_check
from plantui.store.backup import backup_file
from plantui.store.revisions import HEAD_REVISION, KNOWN_REVISIONS
from plantui.store.schema_check import is_plantui_revision
from plantui.store.sqlite_file import UnusableFileError

if TYPE_CHECKING:
    from plantui.store.database import Database

VERSION_TABLE = "alembic_version"
PLANTUI_TABLES = frozenset({"plan", "theme", "area", "objective", "action", "history", "meeting"})


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as conn:
        return _revision(conn, database)


def checked_revision(database: Database) -> str | None:
    """The database's revision, once its schema is known to hold nothing plantui did not make."""
    with database.engine.connect() as conn:
        revision = _revision(conn, database)
        check_own_objects(conn, database, revision)
        return revision


def _revision(conn: Connection, database: Database) -> str | None:
    names = set(inspect(conn).get_table_names())
    if VERSION_TABLE not in names:
        if names - {"sqlite_sequence"}:
            raise UnusableFileError(
                f"{database.display} is a database of another program, not a plantui one; nothing was changed"
            )
        return None
    revision = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    if revision is None and names - {
        "sqlite_sequence",
        *schema_check.SQLITE_INTERNAL_TABLES,
        *schema_check.plantui_tables(HEAD_REVISION),
    }:
        # An empty version table beside tables plantui does not make: another application's database,
        # which migrating would fill with plantui's tables and stamp as plantui's.
        raise _foreign_error(database, None)
    if revision is not None and revision not in KNOWN_REVISIONS and not is_plantui_revision(revision):
        raise _foreign_error(database, revision)
    return revision


def _foreign_error(database: Database, revision: str | None) -> StoreError:
    kind = UnusableFileError if database.location.path is not None else StoreError
    version = (
        f"alembic_version {visible(repr(revision))} is not plantui's" if revision else "an alembic_version"
    )
    return kind(
        f"{database.display} holds another application's tables ({version}): use a database of its own "
        "for plantui; nothing was changed"
    )


def check_own_objects(conn: Connection, database: Database, revision: str | None) -> None:
    """Refuse a database holding schema objects plantui did not make (see `plantui.store.schema_check`)."""
    if conn.dialect.name == "postgresql":
        if revision not in KNOWN_REVISIONS:
            return
        rows = conn.execute(
            text(schema_check.POSTGRES_ADDED_OBJECTS),
            {"tables": sorted(schema_check.plantui_tables(revision))},
        ).all()
        problem = schema_check.postgres_problem(rows)
        kind: type[StoreError] = StoreError
    else:
        rows = conn.exec_driver_sql(schema_check.SQLITE_MASTER_QUERY).all()
        problem = schema_check.schema_problem(rows, revision)
        kind = UnusableFileError
        if problem and revision == HEAD_REVISION:
            # A SQLAlchemy release newer than the tests ran with may lay out `create_current`'s
            # definitions differently: what it renders here is plantui's own too.
            problem = schema_check.schema_problem(rows, revision, _rendered_by_this_sqlalchemy())
    if problem:
        raise kind(f"{database.display} {problem}: it was not opened; nothing was changed")


def ensure_current(database: Database, *, new_file: bool = False) -> None:
    revision = checked_revision(database)
    if revision == HEAD_REVISION:
        return
    if revision is not None and revision not in KNOWN_REVISIONS:
        if database.readonly:
            database.notices.append(
                f"{database.display} was made by a newer plantui (schema {revision}); opened read-only"
            )
            return
        raise StoreError(
            f"{database.display} was made by a newer plantui (schema {revision}; this plantui knows "
            f"up to {HEAD_REVISION}): upgrade plantui to change it"
        )
    if database.readonly:
        raise StoreError(
            f"{database.display} needs its schema upgraded from {revision or 'empty'} to "
            f"{HEAD_REVISION}, but it is read-only"
        )
    if revision is None and database.backend == "sqlite":
        create_current(database)
        return
    if revision is not None and not new_file and database.location.path is not None:
        copy = backup_file(database.location, reason=f"before-schema-{HEAD_REVISION}")
        database.notices.append(f"upgraded the schema from {revision} to {HEAD_REVISION}; backup at {copy}")
    upgrade(database, HEAD_REVISION)


def create_current(database: Database) -> None:
    """Give an empty SQLite database the current schema at once, stamped with the head revision.

    One write transaction: a second plantui opening the same empty file waits for it, then finds
    the schema current; a failure leaves the file empty.
    """
    from sqlalchemy import insert

    from plantui.domain.uids import new_uid
    from plantui.store.clock import utcnow
    from plantui.store.tables import metadata, store_identity

    with database.write() as conn:
        if _revision(conn, database) is not None:  # another plantui created it while this one waited
            return
        metadata.create_all(conn, checkfirst=False)
        conn.execute(insert(store_identity).values(id=1, uid=new_uid(), made_at=utcnow()))
        version = version_table()
        version.create(conn)
        conn.execute(version.insert().values(version_num=HEAD_REVISION))


def _rendered_by_this_sqlalchemy() -> dict[tuple[str, str], frozenset[str | None]]:
    """The head schema's definitions as this installation's SQLAlchemy writes them for SQLite."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    from plantui.store.tables import metadata

    dialect = sqlite.dialect()
    rendered: dict[tuple[str, str], frozenset[str | None]] = {}
    for table in [*metadata.sorted_tables, version_table()]:
        ddl = str(CreateTable(table).compile(dialect=dialect)).strip()
        rendered[("table", table.name)] = frozenset({schema_check.canonical("table", ddl)})
        for index in table.indexes:
            ddl = str(CreateIndex(index).compile(dialect=dialect)).strip()
            rendered[("index", str(index.name))] = frozenset({schema_check.canonical("index", ddl)})
    return rendered


def version_table() -> Table:
    """Alembic's version table, as Alembic itself declares it (`DefaultImpl.version_table_impl`); a
    test compares it with the one Alembic creates."""
    table = Table(VERSION_TABLE, MetaData(), Column("version_num", String(32), nullable=False))
    table.append_constraint(PrimaryKeyConstraint("version_num", name=f"{VERSION_TABLE}_pkc"))
    return table


def upgrade(database: Database, revision: str = "head") -> None:
    from alembic import command

    with database.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Two people opening a new database at once: the second waits, then finds it current.
            from plantui.store.server import take_write_lock

            take_write_lock(conn)
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def alembic_config():  # -> alembic.config.Config, imported lazily
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "plantui.store:migrations")
    return config
