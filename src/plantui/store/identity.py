"""This store's identity: the uid that says, on every entry made here, which copy of a plan made it.

Each store has one `store_identity` row, made with its schema (`schema.create_current`, migration
0010) and never changed; a replica has its own, not its upstream's. The uid is read once per
database connection and kept in the connection's `info`, so stamping 100,000 rows reads it once.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

_KEY = "plantui.store_uid"
# Plain text, not the table object: the tables' column defaults call this (no import circle).
_QUERY = text("SELECT uid FROM store_identity LIMIT 1")


def this_store(conn: Connection) -> str:
    """The uid of the store `conn` is connected to ("" for a store without one)."""
    info = conn.info
    found = info.get(_KEY)
    if found is None:
        found = info[_KEY] = conn.execute(_QUERY).scalar() or ""
    return found
