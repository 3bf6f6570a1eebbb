"""Measures of impact in the store: recording a value, and reading a measure's values.

Values are append-only, like the history: recording a value for a period that has one already adds
a row (a correction), and the newest row of a period is the value that stands. Each write is one
transaction, and tells an open workbench on PostgreSQL at its commit (`watch.notify_change`); an open
window finds what moved by `measures_mark`, the newest value and definition change ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, insert, select

from plantui.domain.document import MeasureDoc, MeasureValueDoc
from plantui.domain.errors import InputError, NotFoundError
from plantui.domain.measures import check_number, is_period
from plantui.domain.text import visible
from plantui.store import tables as T
from plantui.store.clock import to_utc_naive, utcnow
from plantui.store.database import Database
from plantui.store.plans import current_plan_id, read_measures
from plantui.store.watch import notify_change

MeasuresMark = tuple[int, int]  # the newest measure_value id and measure_change id (0 for none)


def _mark(conn: Connection) -> MeasuresMark:
    value = select(func.coalesce(func.max(T.measure_value.c.id), 0)).scalar_subquery()
    change = select(func.coalesce(func.max(T.measure_change.c.id), 0)).scalar_subquery()
    found = conn.execute(select(value, change)).one()
    return int(found[0]), int(found[1])


def measures_mark(database: Database) -> MeasuresMark:
    """Where the measures stand: a value recorded, a definition changed or a link made anywhere moves
    it, so a window that remembers it knows when to read the measures again (two indexed maxima)."""
    with database.read() as conn:
        return _mark(conn)


def plan_measures(
    database: Database, *, before: datetime | None = None
) -> tuple[MeasuresMark, list[MeasureDoc]]:
    """The plan's measures with their values (only those recorded before `before`, if given) and the
    mark they were read at, from one read transaction."""
    with database.read() as conn:
        return _mark(conn), read_measures(conn, current_plan_id(conn, database), before=before)


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
        frequency = conn.execute(select(T.measure.c.frequency).where(T.measure.c.id == found)).scalar_one()
        if ("Q" in period) != (frequency == "quarterly"):
            example = "a quarter like 2022-Q3" if frequency == "quarterly" else "a month like 2022-10"
            raise InputError(f"measure {visible(ref)} is {frequency}: give {example}, not {period}")
        recorded = conn.execute(
            insert(T.measure_value).values(
                measure_id=found, period=period, value=value, note=note, at=entry.at, author=author
            )
        ).inserted_primary_key[0]
        notify_change(conn, recorded)
    return entry


# --- definitions and links: each change one transaction with its `measure_change` rows -------------

EDITABLE = ("name", "unit", "direction", "target", "tolerance", "frequency", "owner")


def as_text(value: object) -> str | None:
    """A definition's value as its history row says it (a number to ten significant figures)."""
    if value is None:
        return None
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def _check_definition(fields: dict[str, object]) -> dict[str, object]:
    """The fields checked and tidied: refs, words and numbers as the domain has them."""
    from plantui.domain.measures import check_direction, check_frequency

    checked: dict[str, object] = {}
    for name, value in fields.items():
        if name not in EDITABLE:
            raise InputError(f"a measure has no field {name!r}: use {', '.join(EDITABLE)}")
        if name == "direction":
            value = check_direction(str(value))
        elif name == "frequency":
            value = check_frequency(str(value))
        elif name in ("target", "tolerance"):
            value = None if value is None else check_number(value, name)  # type: ignore[arg-type]
            if name == "tolerance" and value is not None and value < 0:
                raise InputError("tolerance: a tolerance cannot be negative")
        elif name == "name":
            value = str(value).strip()
            if not value:
                raise InputError("name: a measure needs a name")
        else:
            value = str(value).strip()
        checked[name] = value
    return checked


def _row_values(conn: Connection, fields: dict[str, object]) -> dict[str, object]:
    """Column values for the `measure` table (an owner's name becomes an officer id)."""
    from plantui.store.plans import officer_ids

    values = {name: value for name, value in fields.items() if name != "owner"}
    if "owner" in fields:
        owner = str(fields["owner"])
        values["owner_id"] = officer_ids(conn, {owner})[owner] if owner else None
    return values


def _log(conn: Connection, measure: int, author: str, at: datetime, field: str, old, new) -> None:
    """One `measure_change` row; an open workbench on PostgreSQL is told at the commit."""
    logged = conn.execute(
        insert(T.measure_change).values(
            measure_id=measure, at=at, author=author, field=field, old=as_text(old), new=as_text(new)
        )
    ).inserted_primary_key[0]
    notify_change(conn, logged)


def add_measure(
    database: Database, ref: str, name: str, *, author: str, at: datetime | None = None, **fields: object
) -> None:
    """Add a measure (a new ref) with its definition, in one transaction with its history row."""
    from sqlalchemy import func

    from plantui.domain.measures import check_measure_ref

    ref = check_measure_ref(ref)
    checked = _check_definition({"name": name, **fields})
    moment = to_utc_naive(at) if at is not None else utcnow()
    with database.write() as conn:
        plan_id = current_plan_id(conn, database)
        m = T.measure
        taken = conn.execute(select(m.c.ref).where(m.c.plan_id == plan_id)).scalars().all()
        if any(existing.casefold() == ref.casefold() for existing in taken):
            raise InputError(f"measure {ref} exists already: use plantui measure edit {ref}")
        position = conn.execute(
            select(func.coalesce(func.max(m.c.position) + 1, 0)).where(m.c.plan_id == plan_id)
        )
        new_id = conn.execute(
            insert(m).values(
                plan_id=plan_id, ref=ref, position=position.scalar_one(), **_row_values(conn, checked)
            )
        ).inserted_primary_key[0]
        _log(conn, new_id, author, moment, "added", None, ref)


def edit_measure(
    database: Database, ref: str, *, author: str, at: datetime | None = None, **fields: object
) -> list[str]:
    """Change fields of a measure's definition in one transaction, a history row per field that
    changed. Returns the names of the fields that changed (none when every value was as it was)."""
    checked = _check_definition(fields)
    moment = to_utc_naive(at) if at is not None else utcnow()
    changed = []
    with database.write() as conn:
        plan_id = current_plan_id(conn, database)
        found = measure_id(conn, plan_id, ref)
        row = conn.execute(
            select(T.measure, T.officer.c.name.label("owner"))
            .outerjoin(T.officer, T.officer.c.id == T.measure.c.owner_id)
            .where(T.measure.c.id == found)
        ).one()
        for name, value in checked.items():
            old = (row.owner or "") if name == "owner" else getattr(row, name)
            if old == value:
                continue
            changed.append(name)
            _log(conn, found, author, moment, name, old, value)
        if changed:
            conn.execute(
                T.measure.update()
                .where(T.measure.c.id == found)
                .values(**_row_values(conn, {name: checked[name] for name in changed}))
            )
    return changed


def _link_target(conn: Connection, plan_id: int, target: str) -> tuple[str, int, str]:
    """What a link names: a plan ref (`1.2.3` an objective, `1.2.3.4` an action) or `finding:N`
    (the Nth finding, as listed). Returns (kind, id, the words for history)."""
    from plantui.domain.refs import is_ref

    text = target.strip()
    if text.lower().startswith("finding:"):
        number = text.partition(":")[2].strip()
        ids = (
            conn.execute(
                select(T.finding.c.id).where(T.finding.c.plan_id == plan_id).order_by(T.finding.c.position)
            )
            .scalars()
            .all()
        )
        if not number.isdigit() or not 1 <= int(number) <= len(ids):
            raise NotFoundError(f"{visible(target)}: the plan has findings 1 to {len(ids)}")
        return "finding", ids[int(number) - 1], f"finding:{int(number)}"
    text = text.rstrip(".")
    if is_ref(text) and text.count(".") in (2, 3):
        if text.count(".") == 3:
            table, kind = T.action, "action"
            where = T.action.c.plan_id == plan_id
        else:
            table, kind = T.objective, "objective"
            where = T.objective.c.area_id.in_(
                select(T.area.c.id)
                .join(T.theme, T.theme.c.id == T.area.c.theme_id)
                .where(T.theme.c.plan_id == plan_id)
            )
        found = conn.execute(select(table.c.id).where(where, table.c.ref == text)).scalar()
        if found is None:
            raise NotFoundError(f"no {kind} {text} in the plan")
        return kind, found, text
    raise InputError(
        f"{visible(target)!r} is not something a measure links to: give an objective (1.2.3), an action "
        "(1.2.3.4) or a finding (finding:2)"
    )


def link_measure(
    database: Database,
    ref: str,
    targets: list[str],
    *,
    author: str,
    unlink: bool = False,
    at: datetime | None = None,
) -> list[str]:
    """Link the measure to (or, with `unlink`, unlink it from) objectives, actions and findings, in
    one transaction with a history row per link made or taken away. Returns the links changed."""
    from sqlalchemy import delete, func

    moment = to_utc_naive(at) if at is not None else utcnow()
    changed = []
    with database.write() as conn:
        plan_id = current_plan_id(conn, database)
        found = measure_id(conn, plan_id, ref)
        for target in targets:
            kind, linked, words = _link_target(conn, plan_id, target)
            table = getattr(T, f"measure_{kind}")
            column = table.c[f"{kind}_id"]
            exists = conn.execute(
                select(func.count()).select_from(table).where(table.c.measure_id == found, column == linked)
            ).scalar_one()
            if unlink and exists:
                conn.execute(delete(table).where(table.c.measure_id == found, column == linked))
                _log(conn, found, author, moment, kind, words, None)
                changed.append(words)
            elif not unlink and not exists:
                position = conn.execute(
                    select(func.coalesce(func.max(table.c.position) + 1, 0)).where(
                        table.c.measure_id == found
                    )
                ).scalar_one()
                conn.execute(
                    insert(table).values(measure_id=found, **{f"{kind}_id": linked}, position=position)
                )
                _log(conn, found, author, moment, kind, None, words)
                changed.append(words)
    return changed


# --- many values at once (`plantui measure import`) -------------------------------------------------


@dataclass(frozen=True, slots=True)
class ValueToRecord:
    """One value read from a scorecard, with the place it was read from (for its error)."""

    ref: str
    period: str
    value: float
    note: str = ""
    place: str = ""  # "scorecard.xlsx: sheet 'KPIs', row 4, column F"


@dataclass(frozen=True, slots=True)
class RecordedValues:
    new: int  # values for a period that had none
    corrected: int  # values that replace a different standing value
    unchanged: int  # values equal to the standing one: nothing recorded


def record_values(
    database: Database, entries: list[ValueToRecord], *, author: str, dry_run: bool = False
) -> RecordedValues:
    """Record many values in one transaction: all of them, or none when any names an unknown measure
    or a period its frequency does not take. A value equal to the one standing for its period is
    not recorded again, so importing the same scorecard twice changes nothing."""
    from plantui.domain.measures import standing_values

    moment = utcnow()
    with database.read() if dry_run else database.write() as conn:
        plan_id = current_plan_id(conn, database)
        measures = {m.ref.casefold(): m for m in read_measures(conn, plan_id)}
        ids = dict(
            conn.execute(select(T.measure.c.ref, T.measure.c.id).where(T.measure.c.plan_id == plan_id)).all()
        )
        standing = {ref: standing_values(m.values) for ref, m in measures.items()}
        rows, new, corrected, unchanged = [], 0, 0, 0
        for entry in entries:
            measure = measures.get(entry.ref.casefold())
            if measure is None:
                raise NotFoundError(
                    f"{entry.place}: no measure {visible(entry.ref)} in the plan (add it first)"
                )
            if ("Q" in entry.period) != (measure.frequency == "quarterly"):
                kind = "quarter" if measure.frequency == "quarterly" else "month"
                raise InputError(
                    f"{entry.place}: measure {measure.ref} is {measure.frequency}, "
                    f"and {entry.period} is not a {kind}"
                )
            value = check_number(entry.value, entry.place)
            now = standing[measure.ref.casefold()].get(entry.period)
            if now is not None and now.value == value:
                unchanged += 1
                continue
            new, corrected = (new + 1, corrected) if now is None else (new, corrected + 1)
            standing[measure.ref.casefold()][entry.period] = MeasureValueDoc(
                entry.period, value, moment, author
            )
            rows.append(
                {
                    "measure_id": ids[measure.ref],
                    "period": entry.period,
                    "value": value,
                    "note": entry.note,
                    "at": moment,
                    "author": author,
                }
            )
        if rows and not dry_run:
            conn.execute(insert(T.measure_value), rows)
            notify_change(conn, 0)
    return RecordedValues(new, corrected, unchanged)
