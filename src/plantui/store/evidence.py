"""Reading evidence of impact: each action's standing evidence, and its linked measures as they stand.

The evidence is history rows (`plantui.domain.evidence` says how), so it is read from `history`;
recording it and marking an action's impact evidenced are changes like any other, made through
`plantui.store.changes` (`AddEvidence`, `SetImpact`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from plantui.domain.document import MeasureDoc, MeasureValueDoc
from plantui.domain.evidence import EVIDENCE_FIELD, Evidence, standing_evidence
from plantui.domain.measures import MET, measure_standing
from plantui.domain.refs import normalise_ref
from plantui.domain.views import HistoryEntry
from plantui.store import tables as T
from plantui.store.as_at import last_history_id_at
from plantui.store.database import Database
from plantui.store.plans import current_plan_id
from plantui.store.queries import action_by_ref


@dataclass(frozen=True, slots=True)
class LinkedMeasure:
    """A measure linked to an action, judged in its latest period with a value."""

    ref: str
    name: str
    period: str | None
    status: str  # `plantui.domain.measures`: met, within_tolerance, off_target, no_data, no_target

    @property
    def met(self) -> bool:
        return self.status == MET


def _evidence_rows(conn: Connection, action_ids: Iterable[int] | None, plan_id: int, upto: int | None):
    """Evidence rows and their undos (both are field "evidence"), with the action's ref, in id order;
    with `upto`, only rows up to that history id (the history as at a day)."""
    h = T.history
    query = (
        select(
            h.c.id, T.action.c.ref, h.c.at, h.c.author, h.c.field, h.c.old, h.c.new, h.c.note, h.c.undoes_id
        )
        .join(T.action, T.action.c.id == h.c.action_id)
        .where(h.c.field == EVIDENCE_FIELD, T.action.c.plan_id == plan_id)
        .order_by(h.c.id)
    )
    if action_ids is not None:
        query = query.where(h.c.action_id.in_(list(action_ids)))
    if upto is not None:
        query = query.where(h.c.id <= upto)
    return conn.execute(query).all()


def evidence_by_ref(
    conn: Connection, plan_id: int, action_ids: Iterable[int] | None = None, *, upto: int | None = None
) -> dict[str, list[Evidence]]:
    """Each action's standing evidence (of the plan, or of `action_ids`; with `upto`, as the history
    stood at that row), by ref; actions with none are left out."""
    rows: dict[str, list[HistoryEntry]] = defaultdict(list)
    for row in _evidence_rows(conn, action_ids, plan_id, upto):
        rows[row.ref].append(HistoryEntry(*row))
    found = {ref: standing_evidence(entries) for ref, entries in rows.items()}
    return {ref: items for ref, items in found.items() if items}


def action_evidence(database: Database, ref: str, *, when: date | None = None) -> list[Evidence]:
    """One action's standing evidence, oldest first (see `standing_evidence`); with `when`, as it
    stood at the end of that day."""
    with database.read() as conn:
        action = action_by_ref(conn, database, ref)
        plan_id = current_plan_id(conn, database)
        upto = last_history_id_at(conn, plan_id, when) if when is not None else None
        return evidence_by_ref(conn, plan_id, [action.id], upto=upto).get(action.ref, [])


def plan_evidence(database: Database, *, when: date | None = None) -> dict[str, list[Evidence]]:
    """Every action's standing evidence by ref, in no particular order of refs; with `when`, as it
    stood at the end of that day."""
    with database.read() as conn:
        plan_id = current_plan_id(conn, database)
        upto = last_history_id_at(conn, plan_id, when) if when is not None else None
        return evidence_by_ref(conn, plan_id, upto=upto)


def linked_measures(
    conn: Connection, plan_id: int, action_ids: Iterable[int] | None = None
) -> dict[int, list[LinkedMeasure]]:
    """The measures linked to each action (of the plan, or `action_ids`), in link order, each judged in
    its latest period with a value; actions with no linked measure are left out."""
    link, m, v = T.measure_action, T.measure, T.measure_value
    query = (
        select(link.c.action_id, m.c.id, m.c.ref, m.c.name, m.c.direction, m.c.target, m.c.tolerance)
        .join(m, m.c.id == link.c.measure_id)
        .where(m.c.plan_id == plan_id)
        .order_by(link.c.action_id, link.c.position)
    )
    if action_ids is not None:
        query = query.where(link.c.action_id.in_(list(action_ids)))
    links = conn.execute(query).all()
    if not links:
        return {}
    values: dict[int, list[MeasureValueDoc]] = defaultdict(list)
    measure_ids = sorted({row.id for row in links})
    for start in range(0, len(measure_ids), 500):
        for measure_id, period, value, at, author in conn.execute(
            select(v.c.measure_id, v.c.period, v.c.value, v.c.at, v.c.author)
            .where(v.c.measure_id.in_(measure_ids[start : start + 500]))
            .order_by(v.c.measure_id, v.c.id)
        ):
            values[measure_id].append(MeasureValueDoc(period, value, at, author))
    judged: dict[int, LinkedMeasure] = {}
    for row in links:
        if row.id not in judged:
            doc = MeasureDoc(
                row.ref, row.name, direction=row.direction, target=row.target, tolerance=row.tolerance,
                values=values.get(row.id, []),
            )  # fmt: skip
            standing = measure_standing(doc)
            judged[row.id] = LinkedMeasure(row.ref, row.name, standing.period, standing.status)
    found: dict[int, list[LinkedMeasure]] = defaultdict(list)
    for row in links:
        found[row.action_id].append(judged[row.id])
    return dict(found)


def measures_of_action(database: Database, ref: str) -> list[LinkedMeasure]:
    """The measures linked to one action, judged as `linked_measures` does."""
    with database.read() as conn:
        action = action_by_ref(conn, database, normalise_ref(ref))
        return linked_measures(conn, current_plan_id(conn, database), [action.id]).get(action.id, [])


def actions_with_met_measure(database: Database) -> set[str]:
    """The refs of the actions with a linked measure met in its latest period."""
    with database.read() as conn:
        plan_id = current_plan_id(conn, database)
        met = [
            action_id
            for action_id, found in linked_measures(conn, plan_id).items()
            if any(m.met for m in found)
        ]
        if not met:
            return set()
        a = T.action
        return set(conn.execute(select(a.c.ref).where(a.c.id.in_(met))).scalars())
