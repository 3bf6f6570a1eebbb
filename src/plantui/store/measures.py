"""Measures of impact in the store: recording a value, and reading a measure's values.

Values are append-only, like the history: recording a value for a period that has one already adds
a row (a correction), and the newest row of a period is the value that stands. Each write is one
transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select

from plantui.domain.document import MeasureValueDoc
from plantui.domain.errors import InputError, NotFoundError
from plantui.domain.measures import check_number, is_period
from plantui.domain.text import visible
from plantui.store import tables as T
from plantui.store.clock import to_utc_naive, utcnow
from plantui.store.database import Database
from plantui.store.plans import current_plan_id


def measure_id(conn: Connection, plan_id: int, ref: str) -> int:
    """The id of the measure `ref` (refs are matched ignoring case: `m12` finds `M12`)."""
    m = T.measure
    found = conn.execute(select(m.c.id, m.c.ref).where(m.c.plan_id == plan_id)).all()
    for id_, stored in found:
        if stored == ref:
            return id_
    for id_, stored in found:
        if stored.casefold() == ref.casefold():
            return id_
    raise NotFoundError(f"no measure {visible(ref)} in the plan (plantui measure list shows them)")


def record_value(
    database: Database,
    ref: str,
    period: str,
    value: float,
    *,
    author: str,
    note: str = "",
    at: datetime | None = None,
) -> MeasureValueDoc:
    """Record `value` for the measure `ref` and the canonical `period`, in one transaction. A period
    that has a value already keeps it in the history; this one stands from now on."""
    if not is_period(period):
        raise InputError(f"{period!r} is not a period: write a month like 2022-10 or a quarter like 2022-Q3")
    value = check_number(value, "value")
    entry = MeasureValueDoc(period, value, to_utc_naive(at) if at is not None else utcnow(), author, note)
    with database.write() as conn:
        found = measure_id(conn, current_plan_id(conn, database), ref)
        conn.execute(
            insert(T.measure_value).values(
                measure_id=found, period=period, value=value, note=note, at=entry.at, author=author
            )
        )
    return entry
