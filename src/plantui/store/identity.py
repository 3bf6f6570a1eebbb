"""This store's identity: the uid that says, on every entry made here, which copy of a plan made it.

Each store has one `store_identity` row, made with its schema (`schema.create_current`, migration
0010) and never changed; a replica has its own, not its upstream's. The uid is read once per
database connection and kept in the connection's `info`, so stamping 100,000 rows reads it once.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from plantui.store import tables as T

_KEY = "plantui.store_uid"


def this_store(conn: Connection) -> str:
    """The uid of the store `conn` is connected to ("" for a store without one)."""
    info = conn.info
    found = info.get(_KEY)
    if found is None:
        found = info[_KEY] = conn.execute(select(T.store_identity.c.uid).limit(1)).scalar() or ""
    return found
