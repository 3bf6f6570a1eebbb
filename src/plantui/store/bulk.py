"""Inserting many rows at once, for loading whole plans.

Core's executemany spends most of its time building a parameter dictionary per row and running each
value through its type's processor; for 100,000 history rows that is about a second. On SQLite this
module compiles the INSERT once, converts each column with its type's processor in one pass, and
hands plain tuples to the driver's `executemany`: the rows and their stored text are the same as
Core would write. Other backends keep Core's executemany (which batches for them already).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Connection, DateTime, Dialect, Table, insert
from sqlalchemy.types import TypeEngine


def insert_rows(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    converted: bool = False,
) -> None:
    """Insert `rows` (tuples of values in `columns` order) into `table` in one executemany.

    `converted` says the caller has already passed every value that needs it through
    `storage_converter`, while building its rows, which spares a pass over all of them here.
    """
    if not rows:
        return
    dialect = conn.dialect
    if dialect.name != "sqlite":
        conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
    if list(compiled.positiontup or ()) != list(columns):
        if converted:
            order = ", ".join(compiled.positiontup or ())
            raise ValueError(f"insert_rows: converted rows of {table.name} must come in the order {order}")
        # A column left out has a Python-side default that Core would fill in: let Core do it.
        conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    processors = [_processor(table.c[name].type, dialect) for name in columns]
    if any(processors) and not converted:
        by_column = [list(column) for column in zip(*rows, strict=True)]
        for values, process in zip(by_column, processors, strict=True):
            if process is not None:
                values[:] = [None if value is None else process(value) for value in values]
        rows = list(zip(*by_column, strict=True))
    conn.exec_driver_sql(str(compiled), rows)  # type: ignore[arg-type]


def storage_converter(conn: Connection, column: Column) -> Callable[[Any], Any]:
    """What `insert_rows(..., converted=True)` expects in `column`, made from a Python value other than
    None (None needs no converting): on SQLite the value as stored (a DateTime's text), on other
    backends the value itself (Core converts it there)."""
    process = _processor(column.type, conn.dialect) if conn.dialect.name == "sqlite" else None
    return _unchanged if process is None else process


def _unchanged(value: Any) -> Any:
    return value


_PROBE = datetime(2001, 2, 3, 4, 5, 6, 789)


def _processor(type_: TypeEngine, dialect: Dialect) -> Callable[[Any], Any] | None:
    """The column type's bind processor, or an equivalent that is several times faster.

    SQLite stores a DateTime as text; its default format is exactly `isoformat(" ", "microseconds")`,
    which runs in C. The shortcut is taken only when it gives the same text as the processor.
    """
    process = type_.dialect_impl(dialect).bind_processor(dialect)
    if process is not None and isinstance(type_, DateTime):
        fast = operator.methodcaller("isoformat", " ", "microseconds")
        if process(_PROBE) == fast(_PROBE):
            return fast
    return process


@contextmanager
def large_page_cache(conn: Connection, mebibytes: int = 64) -> Iterator[None]:
    """Give SQLite a larger page cache for one bulk load on `conn`, then the size it had.

    With the default 2 MiB, loading 100,000 history rows keeps evicting and re-reading index pages;
    64 MiB cut the load's CPU time by about 15%. The cache shrinks back afterwards, so a long-running
    TUI that imported a plan does not keep the memory.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = {-1024 * mebibytes}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")
