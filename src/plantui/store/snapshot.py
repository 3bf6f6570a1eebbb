"""The plan read straight from a SQLite file with the standard library: the workbench's first frame.

Importing SQLAlchemy and SQLModel takes longer than importing Textual, so a workbench that opened the
store before drawing anything could never open as quickly as a plain Textual app. This module reads
what the first frame shows (the plan's details, its themes, areas and objectives, and every action as
an `ActionRow`) with `sqlite3` alone, read-only, in one read transaction. The workbench draws that at
once and opens the store (SQLAlchemy and SQLModel, the daily backup) in a worker straight after.

The values are the ones `plantui.store.queries` gives for the same file; tests/store/test_snapshot.py holds
the two to that on the sample, a generated plan and hostile text. It never creates, migrates or changes
anything: where it cannot answer (no such file, a database server, not a plantui database, a schema
other than the current one, no plan yet) it returns None, and the caller opens the store the usual
way, which migrates, fills in the sample or says what is wrong.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from plantui.domain.carried import CARRIED_FIELDS, Carried, in_field_order
from plantui.domain.statuses import STATUS_CODES
from plantui.domain.views import ActionRow, NodeInfo, PlanInfo
from plantui.store.location import Location, writable_file
from plantui.store.revisions import HEAD_REVISION
from plantui.store.schema_check import sqlite_schema_problem

# An action's own columns in `ActionRow`'s order, leads and refs apart. No joins and no ORDER BY:
# plan order and the refs above each action come from the objectives already read (`_nodes`), which
# on 10,000 actions is cheaper than SQLite joining three tables and sorting in a temporary B-tree.
_ACTIONS = """
    SELECT id, ref, title, status, milestone, due, baseline, baseline_due,
           detailed_plan, success_measures, updated_at, last_note, objective_id, position,
           objective_statement, commentary, impact
    FROM action
    WHERE plan_id = ?
"""
# Officer ids, in order, for each action; the few officers' names are looked up in Python.
_LEADS = """
    SELECT l.action_id, l.officer_id
    FROM action_lead l
    JOIN action a ON a.id = l.action_id
    WHERE a.plan_id = ?
    ORDER BY l.action_id, l.position
"""

# How many pieces of evidence stand for each action: an evidence row adds one, its undo takes one away.
# The literal 'evidence' matches the partial index `ix_history_evidence`, which holds just those rows.
_EVIDENCE = """
    SELECT h.action_id, SUM(CASE WHEN h.new IS NULL THEN -1 ELSE 1 END)
    FROM history h
    JOIN action a ON a.id = h.action_id
    WHERE h.field = 'evidence' AND a.plan_id = ?
    GROUP BY h.action_id
"""

# Values carried down from the row above, for the detail pane's "carried down from 1.1.1.5".
_CARRIED = """
    SELECT c.action_id, c.field, c.from_ref, c.doubtful
    FROM carried_value c
    JOIN action a ON a.id = c.action_id
    WHERE a.plan_id = ?
"""


@dataclass(frozen=True, slots=True)
class PlanSnapshot:
    """What the workbench's first frame needs, as the file stood at one moment."""

    display: str  # the file, as errors and the header name it
    info: PlanInfo
    nodes: list[NodeInfo]  # themes, areas and objectives in plan order, as `queries.nodes` gives
    rows: list[ActionRow]  # every action in plan order, as `queries.list_actions` gives
    latest_history_id: int  # the newest history row when it was read: live refresh goes on from here
    writable: bool
    readonly_reason: str  # why it cannot be written, as `Database.readonly_reason` says it


def read_snapshot(location: Location) -> PlanSnapshot | None:
    """The plan in the SQLite file at `location`, or None when this quick path cannot tell."""
    path = location.path
    if path is None or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        conn.execute("BEGIN")  # one snapshot for every query below, even while someone writes
        parts = _read(conn)
    except (sqlite3.Error, ValueError, TypeError):  # not a plantui database, or values it cannot read
        return None
    finally:
        conn.close()
    if parts is None:
        return None
    writable, reason = writable_file(path)
    return PlanSnapshot(location.display, *parts, writable=writable, readonly_reason=reason)


def _read(conn: sqlite3.Connection) -> tuple[PlanInfo, list[NodeInfo], list[ActionRow], int] | None:
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    if revision is None or revision[0] != HEAD_REVISION:
        return None  # the store migrates it first
    if sqlite_schema_problem(conn, HEAD_REVISION):
        return None  # objects plantui did not make: the store refuses the file, in one line
    plan = conn.execute(
        "SELECT id, title, organisation, phase, foreword, status_date FROM plan ORDER BY id LIMIT 1"
    ).fetchone()
    if plan is None:
        return None  # the store fills an empty file with the sample
    plan_id = plan[0]
    info = PlanInfo(*plan[:5], _date(plan[5]))
    latest = conn.execute("SELECT coalesce(max(id), 0) FROM history").fetchone()[0]
    nodes, objectives = _nodes(conn, plan_id)
    rows = _actions(conn, plan_id, objectives)
    if not {row.status for row in rows} <= _CODES:
        return None  # a status that is no code: the store's read names it in one line
    return info, nodes, rows, latest


_CODES = frozenset(STATUS_CODES)

# Each objective's place in plan order and the refs an action under it carries (objective, area, theme).
_Objectives = dict[int, tuple[int, str, str, str]]


def _nodes(conn: sqlite3.Connection, plan_id: int) -> tuple[list[NodeInfo], _Objectives]:
    themes = conn.execute(
        "SELECT id, ref, title, aim FROM theme WHERE plan_id = ? ORDER BY position", (plan_id,)
    ).fetchall()
    areas_of: dict[int, list[tuple]] = defaultdict(list)
    for area in conn.execute(
        "SELECT a.theme_id, a.id, a.ref, a.title, a.outcomes FROM area a JOIN theme t ON t.id = a.theme_id"
        " WHERE t.plan_id = ? ORDER BY a.position",
        (plan_id,),
    ):
        areas_of[area[0]].append(area)
    objectives_of: dict[int, list[tuple]] = defaultdict(list)
    for objective in conn.execute(
        "SELECT o.area_id, o.id, o.ref, o.text FROM objective o JOIN area a ON a.id = o.area_id"
        " JOIN theme t ON t.id = a.theme_id WHERE t.plan_id = ? ORDER BY o.position",
        (plan_id,),
    ):
        objectives_of[objective[0]].append(objective)
    nodes: list[NodeInfo] = []
    objectives: _Objectives = {}
    for theme_id, theme_ref, theme_title, aim in themes:
        nodes.append(NodeInfo(theme_ref, "theme", theme_title, aim))
        for _, area_id, area_ref, area_title, outcomes in areas_of[theme_id]:
            nodes.append(NodeInfo(area_ref, "area", area_title, outcomes))
            for _, objective_id, objective_ref, text in objectives_of[area_id]:
                nodes.append(NodeInfo(objective_ref, "objective", text, text))
                objectives[objective_id] = (len(objectives), objective_ref, area_ref, theme_ref)
    return nodes, objectives


def _actions(conn: sqlite3.Connection, plan_id: int, objectives: _Objectives) -> list[ActionRow]:
    names = dict(conn.execute("SELECT id, name FROM officer"))
    leads: dict[int, list[str]] = defaultdict(list)
    for action_id, officer_id in conn.execute(_LEADS, (plan_id,)):
        leads[action_id].append(names[officer_id])
    marks: dict[int, list[Carried]] = defaultdict(list)
    for action_id, field, from_ref, doubtful in conn.execute(_CARRIED, (plan_id,)):
        if field in CARRIED_FIELDS:
            marks[action_id].append(Carried(field, from_ref, bool(doubtful)))
    carried = {action_id: tuple(in_field_order(found)) for action_id, found in marks.items()}
    evidence = {action_id: count for action_id, count in conn.execute(_EVIDENCE, (plan_id,)) if count > 0}
    rows = conn.execute(_ACTIONS, (plan_id,)).fetchall()
    rows.sort(key=lambda row: (objectives[row[12]][0], row[13]))  # plan order, as the tree reads
    no_leads: tuple[str, ...] = ()
    return [
        ActionRow(
            row[0],
            row[1],
            row[2],
            tuple(leads[row[0]]) if row[0] in leads else no_leads,
            row[3],
            row[4],
            _date(row[5]),
            row[6],
            _date(row[7]),
            row[8],
            row[9],
            _moment(row[10]),
            row[11],
            *objectives[row[12]][1:],
            carried.get(row[0], ()),
            row[14],
            row[15],
            bool(row[16]),
            evidence.get(row[0], 0),
        )
        for row in rows
    ]


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _moment(value: str | None) -> datetime | None:
    # SQLAlchemy keeps a SQLite DateTime as "YYYY-MM-DD HH:MM:SS.ffffff", which this reads back.
    return None if value is None else datetime.fromisoformat(value)
