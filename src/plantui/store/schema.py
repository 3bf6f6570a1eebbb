"""Bringing a database to the current schema with the Alembic migrations shipped in the package.

The current revision is read with one query; Alembic itself is imported only when there is work to
do, so opening an up-to-date store stays fast. Before migrating an existing file, a backup copy is
taken. A database from a newer plantui is refused for writing rather than risked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from plantui.domain.errors import StoreError
from plantui.store.revisions import HEAD_REVISION, KNOWN_REVISIONS

if TYPE_CHECKING:
    from plantui.store.database import Database

PLANTUI_TABLES = frozenset({"plan", "theme", "area", "objective", "action", "history", "meeting"})


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        if "alembic_version" not in names:
            if names - {"sqlite_sequence"}:
                from plantui.store.database import UnusableFileError

                raise UnusableFileError(
                    f"{database.display} is a database of another program, not a plantui one; "
                    "nothing was changed"
                )
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def ensure_current(database: Database, *, new_file: bool = False) -> None:
    revision = current_revision(database)
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
    if revision is not None and not new_file and database.location.path is not None:
        from plantui.store.backup import backup_file

        copy = backup_file(database, reason=f"before-schema-{HEAD_REVISION}")
        database.notices.append(f"upgraded the schema from {revision} to {HEAD_REVISION}; backup at {copy}")
    upgrade(database, HEAD_REVISION)


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
