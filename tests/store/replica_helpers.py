"""What the replica and sync tests share: a replica checked out from the test's upstream, a store's
plan as the plan file writes it, and a store's own uid."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from plantui.io.plan_json import dumps_plan
from plantui.store import tables as T
from plantui.store.database import Database
from plantui.store.opening import open_database
from plantui.store.plans import dump_document
from plantui.store.replicas import checkout


def exported(database: Database) -> str:
    """The plan as `plantui export` writes it: what must come out the same on every copy."""
    return dumps_plan(dump_document(database))


def make_replica(upstream: tuple[Database, str], path: Path) -> Database:
    """A replica of the upstream (its database and how it was named) at `path`, opened."""
    database, text = upstream
    checkout(database, text, path)
    return open_database(path, daily_backup=False)


def store_uid(database: Database) -> str:
    with database.read() as conn:
        return conn.execute(select(T.store_identity.c.uid)).scalar_one()
