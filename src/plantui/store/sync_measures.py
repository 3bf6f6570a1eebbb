"""Measure definitions carried by a sync (`plantui.store.replicas`), field by field, as action history is.

A measure's definition (name, unit, direction, target, tolerance, frequency, owner) and its links to
objectives, actions and findings change through `plantui.store.measures`, each change one
`measure_change` row with a uid. A sync carries those rows by uid, the same way it carries history:
- Checkout: the copy's rows are the upstream's, with their uids and origins, in the upstream's order,
  and the replica's marks (`upstream_changes`, `local_changes`) are set to both sides' newest rows.
- Up, in the upstream's transaction (`send_up`): first the measures the replica holds and the
  upstream lacks are made there (a new measure's "added" row names only its ref, so its definition
  and links travel alongside), at the end of the upstream's list in the replica's order; then the
  replica's rows after its mark are inserted in the order it made them, each only if its uid is not
  there yet, after everything the upstream held (its order is the order); then each touched field is
  set to what the last row for it in that order says (an owner by name, made an officer if needed),
  and each touched link is there if and only if the last row naming it made it (a link made is put
  at the end of the measure's list for its kind).
- Down, in the replica's transaction (`bring_down`): the replica's rows after its mark are replaced
  by the upstream's rows after its mark, in the upstream's order (they hold the replica's own, same
  uids; if nothing came from anyone else they already stand so and stay), and each measure those rows
  name takes the upstream's settled definition: fields, owner, links in order, and its place in the
  list. That definition is what the last change in the upstream's order says; taking it whole
  (rather than reading the rows again) keeps a number exactly as the upstream holds it, so both
  export the same. Values are carried by `replicas` after this part, so a new measure's values find
  it there.
A mark of 0 (a replica upgraded from 0009, whose rows got uids from what they say), or an upstream
that no longer holds the row at its mark (restored from an older copy), compares the whole history
by uid: the rows both hold are taken once.

The same ref added on two copies between syncs is one measure afterwards, and the later add stands,
as a later change does: when the upstream already holds the measure, the replica's "added" row is
followed there by a row per field where the definition the replica added differs from the one the
upstream holds (by the same author, at the same moment), so the replica's definition stands, the one
it replaced is in those rows' old values, and the replica's later changes apply after it. Both
"added" rows stay in the measure's history; links are never part of an add (each link is a change of
its own), so both copies' links are kept.

Two copies changing one field are both kept in the history and the later stands, with no conflict
to review (`sync_conflict` is per action). A number goes through the history as text of ten
significant figures (`measures.as_text`), so a target set to more figures than that on a laptop
comes back from its sync as the ten the history holds, on every copy alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from plantui.domain.errors import StoreError
from plantui.domain.uids import new_uid
from plantui.store import tables as T
from plantui.store.measures import as_text
from plantui.store.plans import officer_ids
from plantui.store.sync_rows import CHUNK, ids_of
from plantui.store.watch import notify_change

# The fields of a definition a change row can set (as `measures.EDITABLE` logs them) and the kinds
# of link (each its own table, `measure_<kind>`).
_FIELDS = ("name", "unit", "direction", "target", "tolerance", "frequency", "owner")
_NUMBERS = frozenset({"target", "tolerance"})
_LINKS = ("objective", "action", "finding")


@dataclass(frozen=True, slots=True)
class _Change:
    """A `measure_change` row as every copy knows it: its measure by ref."""

    uid: str
    measure: str
    at: datetime
    author: str
    field: str
    old: str | None
    new: str | None
    origin: str


@dataclass(frozen=True, slots=True)
class _Definition:
    """A measure as it stands: its fields, its owner by name, its links by the words history uses
    (an objective's or action's ref, `finding:N`) in their order."""

    ref: str
    position: int
    name: str
    unit: str
    direction: str
    target: float | None
    tolerance: float | None
    frequency: str
    owner: str
    objective: tuple[str, ...]
    action: tuple[str, ...]
    finding: tuple[str, ...]

    def columns(self) -> dict[str, object]:
        return {
            "position": self.position,
            "name": self.name,
            "unit": self.unit,
            "direction": self.direction,
            "target": self.target,
            "tolerance": self.tolerance,
            "frequency": self.frequency,
        }


@dataclass(frozen=True, slots=True)
class MeasuresSent:
    """What the upstream's part of a sync leaves for the replica's part."""

    tail: list[_Change]  # the replica's rows after its mark
    local_mark: int  # the mark they come after (0 when the whole history was compared)
    pulled: list[_Change]  # the upstream's rows after its mark, in its order
    definitions: list[_Definition]  # the measures the rows name, as the upstream holds them, settled
    upstream_mark: int  # the upstream's newest row
    sent: int  # rows the upstream took from the replica
    received: int  # rows by others the replica will take


@dataclass(frozen=True, slots=True)
class CheckedOut:
    """The upstream's definition history as a checkout read it, for the copy to keep its uids."""

    changes: list[_Change]
    mark: int


# --- reading ---------------------------------------------------------------------------------------------


def _read_changes(conn: Connection, plan_id: int, *, after: int) -> list[_Change]:
    c, m = T.measure_change, T.measure
    rows = conn.execute(
        select(c.c.uid, m.c.ref, c.c.at, c.c.author, c.c.field, c.c.old, c.c.new, c.c.origin)
        .join(m, m.c.id == c.c.measure_id)
        .where(m.c.plan_id == plan_id, c.c.id > after)
        .order_by(c.c.id)
    ).all()
    return [_Change(*row) for row in rows]


def _newest(conn: Connection, plan_id: int) -> int:
    """The plan's newest `measure_change` id (0 when none)."""
    c, m = T.measure_change, T.measure
    return conn.execute(
        select(func.coalesce(func.max(c.c.id), 0)).where(
            c.c.measure_id.in_(select(m.c.id).where(m.c.plan_id == plan_id))
        )
    ).scalar_one()


def _findings(conn: Connection, plan_id: int) -> list[int]:
    """The plan's findings' ids in their order (`finding:N` names the Nth)."""
    f = T.finding
    return conn.execute(select(f.c.id).where(f.c.plan_id == plan_id).order_by(f.c.position)).scalars().all()


class _Targets:
    """The ids of what links name on one side, by the words history uses, looked up as needed (a plan
    has thousands of actions; a sync names a few)."""

    def __init__(self, conn: Connection, plan_id: int, where: str) -> None:
        self._conn, self._plan, self._where = conn, plan_id, where
        self._found: dict[tuple[str, str], int | None] = {}
        self._findings: list[int] | None = None

    def id_of(self, kind: str, words: str, ref: str) -> int:
        """The id of what `words` names, or one line: measure `ref` links to something not here."""
        key = (kind, words)
        if key not in self._found:
            self._found[key] = self._look_up(kind, words)
        found = self._found[key]
        if found is None:
            raise StoreError(
                f"measure {ref} is linked to {words}, which {self._where} does not hold; nothing was synced"
            )
        return found

    def _look_up(self, kind: str, words: str) -> int | None:
        conn, plan_id = self._conn, self._plan
        if kind == "finding":
            if self._findings is None:
                self._findings = _findings(conn, plan_id)
            number = words.partition(":")[2]
            if number.isdigit() and 1 <= int(number) <= len(self._findings):
                return self._findings[int(number) - 1]
            return None
        if kind == "action":
            a = T.action
            return conn.execute(select(a.c.id).where(a.c.plan_id == plan_id, a.c.ref == words)).scalar()
        o, ar, th = T.objective, T.area, T.theme
        return conn.execute(
            select(o.c.id)
            .join(ar, ar.c.id == o.c.area_id)
            .join(th, th.c.id == ar.c.theme_id)
            .where(th.c.plan_id == plan_id, o.c.ref == words)
        ).scalar()


def _read_definitions(conn: Connection, plan_id: int, refs: Iterable[str] | None = None) -> list[_Definition]:
    """The plan's measures as they stand (only those named, if `refs` is given), in their order."""
    m = T.measure
    query = (
        select(m, T.officer.c.name.label("owner_name"))
        .outerjoin(T.officer, T.officer.c.id == m.c.owner_id)
        .where(m.c.plan_id == plan_id)
        .order_by(m.c.position, m.c.id)
    )
    rows = conn.execute(query).all()
    if refs is not None:
        wanted = set(refs)
        rows = [row for row in rows if row.ref in wanted]
    if not rows:
        return []
    ids = [row.id for row in rows]
    links: dict[tuple[int, str], list[str]] = {}
    named = {"objective": T.objective, "action": T.action}
    for kind, target in named.items():
        table = _link_table(kind)
        for start in range(0, len(ids), CHUNK):
            for measure_id, said in conn.execute(
                select(table.c.measure_id, target.c.ref)
                .join(target, target.c.id == table.c[f"{kind}_id"])
                .where(table.c.measure_id.in_(ids[start : start + CHUNK]))
                .order_by(table.c.measure_id, table.c.position)
            ):
                links.setdefault((measure_id, kind), []).append(said)
    numbers = {id_: number for number, id_ in enumerate(_findings(conn, plan_id), start=1)}
    f = T.measure_finding
    for start in range(0, len(ids), CHUNK):
        for measure_id, finding_id in conn.execute(
            select(f.c.measure_id, f.c.finding_id)
            .where(f.c.measure_id.in_(ids[start : start + CHUNK]))
            .order_by(f.c.measure_id, f.c.position)
        ):
            links.setdefault((measure_id, "finding"), []).append(f"finding:{numbers[finding_id]}")
    return [
        _Definition(
            ref=row.ref,
            position=row.position,
            name=row.name,
            unit=row.unit,
            direction=row.direction,
            target=row.target,
            tolerance=row.tolerance,
            frequency=row.frequency,
            owner=row.owner_name or "",
            objective=tuple(links.get((row.id, "objective"), ())),
            action=tuple(links.get((row.id, "action"), ())),
            finding=tuple(links.get((row.id, "finding"), ())),
        )
        for row in rows
    ]


def _link_table(kind: str):
    return {"objective": T.measure_objective, "action": T.measure_action, "finding": T.measure_finding}[kind]


def _marks(conn: Connection) -> tuple[int, int]:
    r = T.replica_state
    row = conn.execute(select(r.c.upstream_changes, r.c.local_changes).order_by(r.c.id).limit(1)).one()
    return row[0], row[1]


def _same_row(local: Connection, remote: Connection, local_id: int, remote_id: int) -> bool:
    """Whether the replica's row at its mark and the upstream's at its mark are one (both none, too)."""
    c = T.measure_change
    here = local.execute(select(c.c.uid).where(c.c.id == local_id)).scalar() if local_id else None
    there = remote.execute(select(c.c.uid).where(c.c.id == remote_id)).scalar() if remote_id else None
    return here == there


# --- writing -------------------------------------------------------------------------------------------


def _measure_ids(conn: Connection, plan_id: int) -> dict[str, int]:
    m = T.measure
    return dict(conn.execute(select(m.c.ref, m.c.id).where(m.c.plan_id == plan_id)).all())


def _add_measure(
    conn: Connection, plan_id: int, definition: _Definition, position: int, targets: _Targets
) -> None:
    """Make the measure as `definition` has it, at `position`, with its links in their order."""
    owner = officer_ids(conn, {definition.owner})[definition.owner] if definition.owner else None
    columns = {**definition.columns(), "position": position}
    measure_id = conn.execute(
        insert(T.measure).values(plan_id=plan_id, ref=definition.ref, owner_id=owner, **columns)
    ).inserted_primary_key[0]
    for kind in _LINKS:
        _write_links(conn, measure_id, definition.ref, kind, getattr(definition, kind), targets)


def _write_links(
    conn: Connection, measure_id: int, ref: str, kind: str, words: Sequence[str], targets: _Targets
) -> None:
    """The measure's links of one kind, in this order (positions from 0)."""
    table = _link_table(kind)
    conn.execute(delete(table).where(table.c.measure_id == measure_id))
    if words:
        conn.execute(
            insert(table),
            [
                {
                    "measure_id": measure_id,
                    f"{kind}_id": targets.id_of(kind, said, ref),
                    "position": i,
                }
                for i, said in enumerate(words)
            ],
        )


def _insert_changes(conn: Connection, plan_id: int, changes: Sequence[_Change], where: str) -> list[_Change]:
    """Insert, in the order given, the rows this side does not hold yet; returns those inserted."""
    held = ids_of(conn, T.measure_change, (change.uid for change in changes))
    new = [change for change in changes if change.uid not in held]
    if not new:
        return []
    measures = _measure_ids(conn, plan_id)
    rows = []
    for change in new:
        measure_id = measures.get(change.measure)
        if measure_id is None:
            raise StoreError(f"measure {change.measure} is not in {where}; nothing was synced")
        rows.append(
            {
                "uid": change.uid,
                "measure_id": measure_id,
                "at": change.at,
                "author": change.author,
                "field": change.field,
                "old": change.old,
                "new": change.new,
                "origin": change.origin,
            }
        )
    conn.execute(insert(T.measure_change), rows)
    notify_change(conn, _newest(conn, plan_id))
    return new


def _column_value(ref: str, field: str, said: str | None, where: str) -> object:
    """A definition field's column value from what a change row says (as `measures.as_text` wrote it)."""
    if field not in _NUMBERS:
        return said or ""
    if said is None:
        return None
    try:
        return float(said)
    except ValueError:
        raise StoreError(
            f"measure {ref}: a change in {where} sets its {field} to {said!r}, which is no number; "
            "nothing was synced"
        ) from None


def _settle(conn: Connection, plan_id: int, changes: Iterable[_Change], where: str) -> None:
    """Make each field and link the rows touched what the last row for it (in id order) says. A few
    statements per chunk of measures, not per field: a sync may touch every measure."""
    measures = _measure_ids(conn, plan_id)
    fields: set[tuple[int, str]] = set()
    links: set[tuple[int, str, str]] = set()
    for change in changes:
        if change.field in _FIELDS:
            fields.add((measures[change.measure], change.field))
        elif change.field in _LINKS and (change.new is not None or change.old is not None):
            links.add((measures[change.measure], change.field, change.new or change.old or ""))
    touched = sorted({key[0] for key in fields} | {key[0] for key in links})
    if not touched:
        return
    last: dict[tuple[int, str], str | None] = {}
    last_link: dict[tuple[int, str, str], tuple[int, bool]] = {}  # the last row naming it, and if it linked
    held: dict[tuple[int, str], dict[int, int]] = {}  # each measure's links of a kind: target -> position
    c = T.measure_change
    for start in range(0, len(touched), CHUNK):
        chunk = touched[start : start + CHUNK]
        for row_id, measure_id, field, old, new in conn.execute(
            select(c.c.id, c.c.measure_id, c.c.field, c.c.old, c.c.new)
            .where(c.c.measure_id.in_(chunk))
            .order_by(c.c.id)
        ):
            if field in _FIELDS:
                last[(measure_id, field)] = new
            elif field in _LINKS and (new is not None or old is not None):
                last_link[(measure_id, field, new or old or "")] = (row_id, new is not None)
        for kind in _LINKS:
            table = _link_table(kind)
            for measure_id, target, position in conn.execute(
                select(table.c.measure_id, table.c[f"{kind}_id"], table.c.position).where(
                    table.c.measure_id.in_(chunk)
                )
            ):
                held.setdefault((measure_id, kind), {})[target] = position
    refs = {id_: ref for ref, id_ in measures.items()}
    owners = officer_ids(conn, {last[key] or "" for key in fields if key[1] == "owner"} - {""})
    by_column: dict[str, list[dict[str, object]]] = {}
    for measure_id, field in sorted(fields):
        said = last[(measure_id, field)]
        if field == "owner":
            by_column.setdefault("owner_id", []).append(
                {"row_id": measure_id, "value": owners.get(said or "")}
            )
        else:
            value = _column_value(refs[measure_id], field, said, where)
            by_column.setdefault(field, []).append({"row_id": measure_id, "value": value})
    m = T.measure
    for column, rows in by_column.items():
        conn.execute(
            update(m).where(m.c.id == bindparam("row_id")).values({column: bindparam("value")}), rows
        )
    targets = _Targets(conn, plan_id, where)
    # Links made go on at the end of their measure's list, in the order they were made.
    for _, measure_id, kind, words, linked in sorted(
        (last_link[key][0], *key, last_link[key][1]) for key in links
    ):
        table = _link_table(kind)
        target = targets.id_of(kind, words, refs[measure_id])
        present = held.setdefault((measure_id, kind), {})
        if linked and target not in present:
            position = max(present.values(), default=-1) + 1
            conn.execute(
                insert(table).values(measure_id=measure_id, **{f"{kind}_id": target}, position=position)
            )
            present[target] = position
        elif not linked and target in present:
            conn.execute(
                delete(table).where(table.c.measure_id == measure_id, table.c[f"{kind}_id"] == target)
            )
            del present[target]


def _take_definitions(conn: Connection, plan_id: int, definitions: Sequence[_Definition], where: str) -> None:
    """Make each of these measures here what the upstream's settled `definitions` say (only what
    differs is written)."""
    here = {d.ref: d for d in _read_definitions(conn, plan_id, (d.ref for d in definitions))}
    ids = _measure_ids(conn, plan_id)
    targets = _Targets(conn, plan_id, where)
    for definition in definitions:
        mine = here.get(definition.ref)
        if mine is None:
            _add_measure(conn, plan_id, definition, definition.position, targets)
            continue
        if mine == definition:
            continue
        values = {name: value for name, value in definition.columns().items() if getattr(mine, name) != value}
        if mine.owner != definition.owner:
            values["owner_id"] = (
                officer_ids(conn, {definition.owner})[definition.owner] if definition.owner else None
            )
        if values:
            conn.execute(update(T.measure).where(T.measure.c.id == ids[definition.ref]).values(values))
        for kind in _LINKS:
            if getattr(mine, kind) != getattr(definition, kind):
                _write_links(
                    conn, ids[definition.ref], definition.ref, kind, getattr(definition, kind), targets
                )


def _refs_in_order(conn: Connection, plan_id: int) -> list[str]:
    m = T.measure
    return (
        conn.execute(select(m.c.ref).where(m.c.plan_id == plan_id).order_by(m.c.position, m.c.id))
        .scalars()
        .all()
    )


# --- the hooks `replicas` calls ------------------------------------------------------------------------


def _with_second_definitions(
    local: Connection,
    local_plan: int,
    remote: Connection,
    remote_plan: int,
    tail: Sequence[_Change],
    held: set[str],
) -> list[_Change]:
    """The replica's rows, with a row per field after each "added" of a measure the upstream held
    already (the same ref added on both sides) where the definition the replica added differs from
    the upstream's: the later add's definition stands, as a later change does, and the one it
    replaces stays in the history (an "added" row names only the ref). A repeat adds none: the
    "added" row is there by then."""
    second = [change for change in tail if change.field == "added" and change.measure in held]
    if second:
        sent_before = ids_of(remote, T.measure_change, (change.uid for change in second))
        second = [change for change in second if change.uid not in sent_before]
    if not second:
        return list(tail)
    refs = {change.measure for change in second}
    mine = {d.ref: _as_texts(d) for d in _read_definitions(local, local_plan, refs)}
    theirs = {d.ref: _as_texts(d) for d in _read_definitions(remote, remote_plan, refs)}
    rows: list[_Change] = []
    for index, change in enumerate(tail):
        rows.append(change)
        if change not in second:
            continue
        added = dict(mine[change.measure])
        changed_since: set[str] = set()
        for later in tail[index + 1 :]:  # what the replica changed since was, before, what it added
            if later.measure == change.measure and later.field in added and later.field not in changed_since:
                changed_since.add(later.field)
                added[later.field] = later.old
        stands = theirs[change.measure]
        rows += [
            _Change(
                new_uid(), change.measure, change.at, change.author, field, stands[field], said, change.origin
            )
            for field, said in added.items()
            if said != stands[field]
        ]
    return rows


def _as_texts(definition: _Definition) -> dict[str, str | None]:
    """A definition's fields as a change row says them."""
    return {field: as_text(getattr(definition, field)) for field in _FIELDS}


def send_up(
    local: Connection, local_plan: int, remote: Connection, remote_plan: int, where: str
) -> MeasuresSent:
    """In the upstream's transaction: make there the measures only the replica holds, insert the
    replica's rows after its mark and settle what they touched (see the module's docstring)."""
    upstream_mark, local_mark = _marks(local)
    if not _same_row(local, remote, local_mark, upstream_mark):
        upstream_mark = local_mark = 0  # the upstream no longer continues from the mark: compare all
    tail = _read_changes(local, local_plan, after=local_mark)
    held = set(_refs_in_order(remote, remote_plan))
    missing = [ref for ref in _refs_in_order(local, local_plan) if ref not in held]
    if missing:
        targets = _Targets(remote, remote_plan, where)
        end = remote.execute(
            select(func.coalesce(func.max(T.measure.c.position) + 1, 0)).where(
                T.measure.c.plan_id == remote_plan
            )
        ).scalar_one()
        for offset, definition in enumerate(_read_definitions(local, local_plan, missing)):
            _add_measure(remote, remote_plan, definition, end + offset, targets)
    inserted = _insert_changes(
        remote,
        remote_plan,
        _with_second_definitions(local, local_plan, remote, remote_plan, tail, held),
        where,
    )
    _settle(remote, remote_plan, inserted, where)
    pulled = _read_changes(remote, remote_plan, after=upstream_mark)
    mine = {change.uid for change in tail}
    # Only a measure a row names (or one just made) can stand differently on the two sides.
    touched = {change.measure for change in (*tail, *pulled)} | set(missing)
    return MeasuresSent(
        tail=tail,
        local_mark=local_mark,
        pulled=pulled,
        definitions=_read_definitions(remote, remote_plan, touched) if touched else [],
        upstream_mark=_newest(remote, remote_plan),
        sent=sum(1 for change in inserted if change.uid in mine),
        received=sum(1 for change in pulled if change.uid not in mine),
    )


def bring_down(local: Connection, local_plan: int, carried: MeasuresSent, where: str) -> None:
    """In the replica's transaction, after the upstream's commit: take the upstream's definitions, put
    the rows after the mark in the upstream's order and move the marks."""
    _take_definitions(local, local_plan, carried.definitions, where)
    if [change.uid for change in carried.pulled] != [change.uid for change in carried.tail]:
        c = T.measure_change
        local.execute(delete(c).where(c.c.id > carried.local_mark))
        _insert_changes(local, local_plan, carried.pulled, where)
    local.execute(
        update(T.replica_state).values(
            upstream_changes=carried.upstream_mark, local_changes=_newest(local, local_plan)
        )
    )


def read_for_checkout(conn: Connection, plan_id: int) -> CheckedOut:
    """On the upstream, as a checkout reads the plan: its definition history, and its newest row."""
    return CheckedOut(_read_changes(conn, plan_id, after=0), _newest(conn, plan_id))


def keep_checkout_uids(conn: Connection, plan_id: int, checked_out: CheckedOut) -> None:
    """In the new replica (its `replica_state` row made): its definition changes become the
    upstream's rows, with their uids and origins, in the upstream's order, and the marks are set.

    The copy, written from the plan document, holds the same rows measure by measure but in the
    document's order across measures; were they only given the upstream's uids, the two sides' newest
    rows would differ and the first sync would find the marks broken and compare everything. The rows
    are plain history (nothing points at them), so they are written again instead."""
    c, m = T.measure_change, T.measure
    conn.execute(delete(c).where(c.c.measure_id.in_(select(m.c.id).where(m.c.plan_id == plan_id))))
    _insert_changes(conn, plan_id, checked_out.changes, "the new replica")
    conn.execute(
        update(T.replica_state).values(
            upstream_changes=checked_out.mark, local_changes=_newest(conn, plan_id)
        )
    )


def waiting_changes(conn: Connection) -> int:
    """On a replica: its definition changes made since the last sync."""
    _, local_mark = _marks(conn)
    c = T.measure_change
    return conn.execute(select(func.count()).select_from(c).where(c.c.id > local_mark)).scalar_one()
