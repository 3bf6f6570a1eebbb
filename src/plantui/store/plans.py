"""Writing a whole plan into the store and reading it back as a `PlanDocument`.

A load is one transaction: it either lands whole or changes nothing. Rows go in with Core
executemany (the ORM is several times slower for bulk inserts), and ids are read back by ref.
"""

from __future__ import annotations

import heapq
import os
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, bindparam, delete, func, insert, or_, select, update

from plantui.domain.carried import CARRIED_FIELDS, Carried, in_field_order
from plantui.domain.document import (
    ActionDoc,
    AreaDoc,
    FindingDoc,
    HistoryEntryDoc,
    LeadDoc,
    MeasureChangeDoc,
    MeasureDoc,
    MeasureValueDoc,
    MeetingDoc,
    ObjectiveDoc,
    PlanDocument,
    ThemeDoc,
)
from plantui.domain.errors import InputError, NotFoundError, PlantuiError, StoreError
from plantui.domain.milestones import due_from_label, tidy_label
from plantui.domain.saved_views import DEFAULT_VIEWS, SavedView, name_key
from plantui.domain.uids import ordered_uids
from plantui.store import tables as T
from plantui.store.bulk import insert_rows, large_page_cache, storage_converter
from plantui.store.clock import utcnow
from plantui.store.database import Database, journal_for_first_load
from plantui.store.identity import this_store
from plantui.store.sqlite_file import set_aside_leftovers
from plantui.store.watch import notify_change

T_ = TypeVar("T_")
NO_PLAN = "has no plan yet: run `plantui demo` for the sample, or `plantui import FILE`"


def plan_count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(T.plan)).scalar_one()


def current_plan_id(conn: Connection, database: Database | None = None) -> int:
    """The plan this store holds. (The schema allows several; plantui works on the first.)"""
    plan_id = conn.execute(select(func.min(T.plan.c.id))).scalar()
    if plan_id is None:
        where = database.display if database is not None else "the database"
        raise NotFoundError(f"{where} {NO_PLAN}")
    return plan_id


def is_empty(database: Database) -> bool:
    with database.read() as conn:
        return plan_count(conn) == 0


def load_document(database: Database, document: PlanDocument, *, replace: bool = False) -> int:
    """Write `document` as the store's plan, in one transaction. Returns the new plan's id.

    A store that already holds a plan is refused unless `replace`, which removes the old plan (its
    history with it) in the same transaction.
    """
    _check_unique_refs(document)
    with journal_for_first_load(database), database.write() as conn:
        if plan_count(conn):
            if not replace:
                raise PlantuiError(f"{database.display} already holds a plan: use --force to replace it")
            _keep_replaced(conn, database)
            _delete_all(conn)
            # An open workbench on a server wakes at the commit and finds its history gone (reload).
            notify_change(conn, 0)
        with large_page_cache(conn):
            plan_id = _insert_document(conn, document)
        if conn.dialect.name == "sqlite":
            # Fresh statistics let SQLite read history in id order instead of sorting it (plan_history
            # at 100,000 rows: 0.45 s -> 0.32 s of SQL; with a date range 0.21 s -> 0.06 s).
            conn.exec_driver_sql("ANALYZE")
        return plan_id


def _check_unique_refs(document: PlanDocument) -> None:
    seen: set[str] = set()
    for theme in document.themes:
        refs = [theme.ref]
        for area in theme.areas:
            refs.append(area.ref)
            for objective in area.objectives:
                refs.append(objective.ref)
                refs.extend(action.ref for action in objective.actions)
        for ref in refs:
            if ref in seen:
                raise InputError(f"ref {ref} appears twice in the plan")
            seen.add(ref)
    _check_measures(document, seen)


def _check_measures(document: PlanDocument, plan_refs: set[str]) -> None:
    """Each measure's ref once, and every link naming something the plan holds."""
    seen: set[str] = set()
    for measure in document.measures:
        if measure.ref in seen:
            raise InputError(f"measure {measure.ref} appears twice in the plan")
        seen.add(measure.ref)
        for ref in (*measure.objectives, *measure.actions):
            if ref not in plan_refs:
                raise InputError(f"measure {measure.ref} is linked to {ref}, which the plan does not hold")
        for position in measure.findings:
            if not 0 <= position < len(document.findings):
                raise InputError(
                    f"measure {measure.ref} is linked to finding {position + 1}, which the plan does not hold"
                )


def _keep_replaced(conn: Connection, database: Database) -> None:
    """Before a plan on a database server is replaced, keep it, history included, in a SQLite file in
    the backups folder of the user's data folder, and say where in `database.notices`.

    Called inside the replacing write transaction, which holds the server's write lock: a change
    committed before it is in the kept copy, one committed after lands on the new plan. A SQLite file
    needs no such copy here: `restore` keeps the file it replaces, and its daily copy is beside it.
    """
    if conn.dialect.name != "postgresql":
        return
    import re

    from sqlalchemy.engine import make_url

    from plantui.store.backup import stamped_target
    from plantui.store.location import default_path, file_location
    from plantui.store.opening import open_database

    url = make_url(database.location.url)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{url.host or 'server'}-{url.database or 'plantui'}")
    target = stamped_target(default_path().with_name(f"{stem}.db"), "before-replace")
    kept = open_database(file_location(target), daily_backup=False)
    try:
        load_document(kept, read_document(conn, database))
    finally:
        kept.close()
    database.notices.append(
        f"the plan it replaced is kept at {target} "
        f"(plantui copy --from {target} --to URL --force puts it back)"
    )


# A history row may be undone by another (undoes_id), or redone (redoes_id), and no index leads from a
# row to those: to delete a row, SQLite's foreign-key check reads the whole table for them. Deleting
# every row was quadratic (20,000 rows: 16 s; the 10,000-action plan: minutes, the write lock held
# throughout). Indexes made for the delete, and dropped again in the same transaction, make it linear.
# (`group_id` has an index of its own.)
_UNDO_INDEX = "plantui_replacing_undoes"
_REDO_INDEX = "plantui_replacing_redoes"


def _delete_all(conn: Connection) -> None:
    sqlite = conn.dialect.name == "sqlite"
    for table in (
        T.saved_view,
        T.measure_change,
        T.measure_value,
        T.measure_finding,
        T.measure_action,
        T.measure_objective,
        T.measure,
        T.round_review,
        T.round_return,
        T.round_item,
        T.update_round,
        T.finding_ref,
        T.finding,
        T.plan_log,
        T.sync_conflict,
        T.history,
        T.meeting,
        T.action_lead,
        T.carried_value,
        T.action,
        T.objective,
        T.area,
        T.theme,
        T.plan,
    ):
        if table is T.history and sqlite:
            conn.exec_driver_sql(f"CREATE INDEX {_UNDO_INDEX} ON history (undoes_id)")
            conn.exec_driver_sql(f"CREATE INDEX {_REDO_INDEX} ON history (redoes_id)")
            conn.execute(delete(table))
            conn.exec_driver_sql(f"DROP INDEX {_UNDO_INDEX}")
            conn.exec_driver_sql(f"DROP INDEX {_REDO_INDEX}")
        else:
            conn.execute(delete(table))
    # Officers outlive a plan only if another plan names them.
    conn.execute(delete(T.officer).where(~T.officer.c.id.in_(select(T.action_lead.c.officer_id))))


def _ids_by_ref(conn: Connection, table, where) -> dict[str, int]:
    return {ref: id_ for id_, ref in conn.execute(select(table.c.id, table.c.ref).where(where))}


def _insert_document(conn: Connection, doc: PlanDocument) -> int:
    plan_id = conn.execute(
        insert(T.plan).values(
            title=doc.title,
            organisation=doc.organisation,
            phase=doc.phase,
            foreword=doc.foreword,
            status_date=doc.status_date,
            created_at=utcnow(),
        )
    ).inserted_primary_key[0]

    if doc.themes:
        conn.execute(
            insert(T.theme),
            [
                {"plan_id": plan_id, "ref": t.ref, "position": i, "title": t.title, "aim": t.aim}
                for i, t in enumerate(doc.themes)
            ],
        )
    theme_ids = _ids_by_ref(conn, T.theme, T.theme.c.plan_id == plan_id)

    area_rows = [
        {
            "theme_id": theme_ids[t.ref],
            "ref": a.ref,
            "position": i,
            "title": a.title,
            "outcomes": a.outcomes,
        }
        for t in doc.themes
        for i, a in enumerate(t.areas)
    ]
    if area_rows:
        conn.execute(insert(T.area), area_rows)
    area_ids = _ids_by_ref(conn, T.area, T.area.c.theme_id.in_(theme_ids.values()))

    objective_rows = [
        {"area_id": area_ids[a.ref], "ref": o.ref, "position": i, "text": o.text}
        for t in doc.themes
        for a in t.areas
        for i, o in enumerate(a.objectives)
    ]
    if objective_rows:
        conn.execute(insert(T.objective), objective_rows)
    objective_ids = _ids_by_ref(conn, T.objective, T.objective.c.area_id.in_(area_ids.values()))

    actions: list[ActionDoc] = []
    action_rows = []
    for t in doc.themes:
        for a in t.areas:
            for o in a.objectives:
                for i, action in enumerate(o.actions):
                    actions.append(action)
                    action_rows.append(_action_row(plan_id, objective_ids[o.ref], i, action))
    if action_rows:
        insert_rows(conn, T.action, list(action_rows[0]), [tuple(row.values()) for row in action_rows])
    action_ids = _ids_by_ref(conn, T.action, T.action.c.plan_id == plan_id)

    _insert_leads(conn, actions, action_ids)
    for lead in doc.people:
        chosen = T.officer.c.name == lead.role
        conn.execute(update(T.officer).where(chosen).values(person=lead.person, email=lead.email))
    carried = [
        (action_ids[action.ref], mark.field, mark.from_ref, mark.doubtful)
        for action in actions
        for mark in action.carried
    ]
    insert_rows(conn, T.carried_value, ("action_id", "field", "from_ref", "doubtful"), carried)
    meeting_ids = _insert_meetings(conn, plan_id, doc.meetings)
    _insert_history(conn, plan_id, actions, action_ids, meeting_ids)
    finding_ids = _insert_findings(conn, plan_id, doc.findings)
    _insert_measures(conn, plan_id, doc.measures, objective_ids, action_ids, finding_ids)
    # A plan file from before saved views (or a new plan) starts with the views every plan has.
    insert_views(conn, plan_id, list(DEFAULT_VIEWS) if doc.views is None else doc.views)
    return plan_id


def _action_row(plan_id: int, objective_id: int, position: int, action: ActionDoc) -> dict:
    # Labels are stored with their spacing tidied ("September  2022" -> "September 2022"), whatever
    # brought them in; the history entries go in with their labels as written.
    milestone = tidy_label(action.milestone)
    due = action.due if action.due is not None else due_from_label(milestone)
    baseline = tidy_label(action.baseline) if action.baseline is not None else milestone
    if action.baseline_due is not None:
        baseline_due = action.baseline_due
    elif action.baseline is None:
        baseline_due = due
    else:
        baseline_due = due_from_label(baseline)
    history = action.history
    return {
        "plan_id": plan_id,
        "objective_id": objective_id,
        "ref": action.ref,
        "position": position,
        "title": action.title,
        "success_measures": action.success_measures,
        "detailed_plan": action.detailed_plan,
        "status": action.rag,
        "milestone": milestone,
        "due": due,
        "baseline": baseline,
        "baseline_due": baseline_due,
        "updated_at": max([h.at for h in history]) if history else None,
        "last_note": (_last_standing_note(history) if history else "") or action.commentary,
        "objective_statement": action.objective_statement,
        "commentary": action.commentary,
        "impact": action.impact,
    }


def _last_standing_note(history: list[HistoryEntryDoc]) -> str:
    """As store.changes keeps it: the newest note that stands (not an undo, and not undone since);
    of two at the same moment, the later entry's."""
    undone = {h.undoes for h in history if h.undoes is not None}
    newest, note = None, ""
    for index, h in enumerate(history):
        if h.note and h.undoes is None and index not in undone and (newest is None or h.at >= newest):
            newest, note = h.at, h.note
    return note


def _insert_leads(conn: Connection, actions: list[ActionDoc], action_ids: dict[str, int]) -> None:
    names = {name for action in actions for name in action.leads}
    if not names:
        return
    known = officer_ids(conn, names)
    rows = []
    for action in actions:
        seen: set[str] = set()
        for position, name in enumerate(action.leads):
            if name in seen:
                continue
            seen.add(name)
            rows.append((action_ids[action.ref], known[name], position))
    insert_rows(conn, T.action_lead, ("action_id", "officer_id", "position"), rows)


def _insert_meetings(conn: Connection, plan_id: int, meetings: list[MeetingDoc]) -> list[int]:
    """The meetings in document order; returns their new ids by position."""
    ids = []
    for meeting in meetings:
        ids.append(
            conn.execute(
                insert(T.meeting).values(
                    plan_id=plan_id,
                    title=meeting.title,
                    scope=meeting.scope,
                    started_at=meeting.started_at,
                    ended_at=meeting.ended_at,
                    recorded_by=meeting.recorded_by,
                )
            ).inserted_primary_key[0]
        )
    return ids


def _keep_each_actions_order(order: list[int], spans: list[tuple[int, int]], moments: list) -> None:
    """Where the clock put an action's entries out of the order listed, give the places they took in
    `order` (slot -> entry index) back to them in the order listed."""
    slot_of = {}
    for first, end in spans:
        if all(moments[i] <= moments[i + 1] for i in range(first, end - 1)):
            continue  # in clock order already: the sort kept them as listed (it is stable)
        if not slot_of:
            slot_of = {index: slot for slot, index in enumerate(order)}
        slots = sorted(slot_of[index] for index in range(first, end))
        for slot, index in zip(slots, range(first, end), strict=True):
            order[slot] = index


HISTORY_COLUMNS = (
    "action_id", "at", "author", "field", "old", "new", "note", "undoes_id", "meeting_id", "uid", "origin",
)  # fmt: skip


def _insert_history(
    conn: Connection,
    plan_id: int,
    actions: list[ActionDoc],
    action_ids: dict[str, int],
    meeting_ids: list[int],
) -> None:
    """History rows go in in time order across the plan, so "the last change" stays the last; each
    action's own rows keep the order the document lists them in, whatever their clock says (a sync
    puts the upstream's order before the clock's, and a server's clock can step back).

    Undo links point at rows of the same load. On SQLite the rows are given their ids, so each undo
    goes in with its link; elsewhere the links are set after the insert, from the ids the rows were
    given (ascending in insertion order), in one executemany.
    """
    entries: list[HistoryEntryDoc] = []  # every entry, action by action (plan order, then history order)
    owners: list[int] = []  # the action id of each entry
    spans: list[tuple[int, int]] = []  # each action's entries, as a range of indexes into `entries`
    undos: list[tuple[int, int]] = []  # (undo, entry it undoes), as indexes into `entries`
    for action in actions:
        history = action.history
        if not history:
            continue
        first = len(entries)
        entries.extend(history)
        spans.append((first, len(entries)))
        owners.extend([action_ids[action.ref]] * len(history))
        undos.extend((first + i, first + h.undoes) for i, h in enumerate(history) if h.undoes is not None)
    if not entries:
        return
    moments = [entry.at for entry in entries]
    # Sorting indexes by a C-level key is several times faster than sorting entries by a lambda. Stable:
    # ties keep plan order, then history order.
    order = sorted(range(len(entries)), key=moments.__getitem__)
    _keep_each_actions_order(order, spans, moments)
    row_of = [0] * len(entries)  # where each entry goes in the insert
    for position, index in enumerate(order):
        row_of[index] = position
    stored_at = storage_converter(conn, T.history.c.at)
    meetings = [None if entry.meeting is None else meeting_ids[entry.meeting] for entry in entries]
    sqlite = conn.dialect.name == "sqlite"
    origin = this_store(conn)  # a loaded plan's entries are made here, by the load
    # Uids in the order the rows go in, like their ids: one random tail for the load and a counter
    # (a fresh random uid per row was a tenth of the 10k plan's load).
    uids = ordered_uids(len(entries))
    if sqlite:
        # The load holds the write lock, so its rows take the ids after the highest: given here, they
        # let each undo row carry its link as it goes in, instead of an UPDATE per undo afterwards
        # (7,409 of them in the 10k plan: 0.1 s). An undo may go in before the entry it undoes (an
        # earlier timestamp), so foreign keys are checked at the commit.
        first_id = (conn.execute(select(func.max(T.history.c.id))).scalar() or 0) + 1
        undoes: list[int | None] = [None] * len(entries)
        for undo, undone in undos:
            undoes[undo] = first_id + row_of[undone]
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        columns: tuple[str, ...] = ("id", *HISTORY_COLUMNS)
        rows = [
            (
                first_id + row_of[i],
                owners[i],
                stored_at(e.at),
                e.author,
                e.field,
                e.old,
                e.new,
                e.note,
                undoes[i],
                meetings[i],
                uids[row_of[i]],
                origin,
            )
            for i, e in enumerate(entries)
        ]
    else:
        columns = HISTORY_COLUMNS
        rows = [
            (
                owners[i],
                stored_at(e.at),
                e.author,
                e.field,
                e.old,
                e.new,
                e.note,
                None,
                meetings[i],
                uids[row_of[i]],
                origin,
            )
            for i, e in enumerate(entries)
        ]
    # Into an empty table, building the indexes once after the rows is faster than keeping them up to
    # date row by row. It is all one transaction: a failed load leaves the indexes as they were. Only
    # on SQLite: on a server, dropping an index locks the table against everyone else's reads.
    rebuild_indexes = sqlite and conn.execute(select(T.history.c.id).limit(1)).first() is None
    if rebuild_indexes:
        for index in T.history.indexes:
            index.drop(conn)
    insert_rows(conn, T.history, columns, [rows[i] for i in order], converted=True)
    if rebuild_indexes:
        for index in T.history.indexes:
            index.create(conn)
    if sqlite or not undos:
        return
    new_ids = _new_history_ids(conn, plan_id, len(entries))
    # One executemany, not a statement per undo: thousands of undos cost milliseconds, not seconds.
    conn.execute(
        T.history.update()
        .where(T.history.c.id == bindparam("history_id"))
        .values(undoes_id=bindparam("undone_id")),
        [
            {"history_id": new_ids[row_of[undo]], "undone_id": new_ids[row_of[undone]]}
            for undo, undone in undos
        ],
    )


def _new_history_ids(conn: Connection, plan_id: int, count: int) -> list[int] | range:
    """The ids of the plan's history rows in insertion order (ids ascend as rows go in).

    When they are one unbroken run, as they are on SQLite, the run's ends say it all; otherwise
    every id is read.
    """
    h = T.history
    of_plan = h.c.action_id.in_(select(T.action.c.id).where(T.action.c.plan_id == plan_id))
    low, high, found = conn.execute(
        select(func.min(h.c.id), func.max(h.c.id), func.count()).where(of_plan)
    ).one()
    if found != count:
        raise PlantuiError(f"loading history: expected {count} new rows, found {found}")
    if high - low + 1 == count:
        return range(low, high + 1)
    return conn.execute(select(h.c.id).where(of_plan).order_by(h.c.id)).scalars().all()


def _insert_findings(conn: Connection, plan_id: int, findings: list[FindingDoc]) -> list[int]:
    """Insert the findings in order; their ids, by position."""
    ids = []
    for position, finding in enumerate(findings):
        finding_id = conn.execute(
            insert(T.finding).values(
                plan_id=plan_id, position=position, source=finding.source, text=finding.text
            )
        ).inserted_primary_key[0]
        ids.append(finding_id)
        if finding.refs:
            conn.execute(
                insert(T.finding_ref),
                [{"finding_id": finding_id, "position": i, "ref": ref} for i, ref in enumerate(finding.refs)],
            )
    return ids


def officer_ids(conn: Connection, names: set[str]) -> dict[str, int]:
    """The officer id of each name, adding the officers not yet known."""
    if not names:
        return {}
    known = dict(
        conn.execute(select(T.officer.c.name, T.officer.c.id).where(T.officer.c.name.in_(names))).all()
    )
    missing = sorted(names - known.keys())
    if missing:
        conn.execute(insert(T.officer), [{"name": name} for name in missing])
        known.update(
            conn.execute(select(T.officer.c.name, T.officer.c.id).where(T.officer.c.name.in_(missing))).all()
        )
    return known


def _insert_measures(
    conn: Connection,
    plan_id: int,
    measures: list[MeasureDoc],
    objective_ids: dict[str, int],
    action_ids: dict[str, int],
    finding_ids: list[int],
) -> None:
    """The measures, their links and their values; values go in in the order they were recorded, so
    the newest entry of a period keeps the highest id."""
    if not measures:
        return
    owners = officer_ids(conn, {m.owner for m in measures if m.owner})
    conn.execute(
        insert(T.measure),
        [
            {
                "plan_id": plan_id,
                "ref": m.ref,
                "position": position,
                "name": m.name,
                "unit": m.unit,
                "direction": m.direction,
                "target": m.target,
                "tolerance": m.tolerance,
                "frequency": m.frequency,
                "owner_id": owners.get(m.owner),
            }
            for position, m in enumerate(measures)
        ],
    )
    measure_ids = _ids_by_ref(conn, T.measure, T.measure.c.plan_id == plan_id)
    links = (
        (T.measure_objective, "objective_id", lambda m: [objective_ids[ref] for ref in m.objectives]),
        (T.measure_action, "action_id", lambda m: [action_ids[ref] for ref in m.actions]),
        (T.measure_finding, "finding_id", lambda m: [finding_ids[position] for position in m.findings]),
    )
    for table, column, linked_ids in links:
        rows = [
            (measure_ids[m.ref], linked, position)
            for m in measures
            for position, linked in enumerate(dict.fromkeys(linked_ids(m)))
        ]
        insert_rows(conn, table, ("measure_id", column, "position"), rows)
    stored_at = storage_converter(conn, T.measure_value.c.at)
    # Across measures in the order they were recorded (each measure's own order kept), so that the
    # values as at a moment, which are the rows up to the newest before it (`read_measures`), are
    # the values recorded by then.
    origin = this_store(conn)
    in_order = list(
        heapq.merge(*([(m.ref, v) for v in m.values] for m in measures), key=lambda pair: pair[1].at)
    )
    values = [
        (measure_ids[ref], v.period, v.value, v.note, stored_at(v.at), v.author, uid, origin)
        for (ref, v), uid in zip(in_order, ordered_uids(len(in_order)), strict=True)
    ]
    insert_rows(
        conn,
        T.measure_value,
        ("measure_id", "period", "value", "note", "at", "author", "uid", "origin"),
        values,
        converted=True,
    )
    changed = [(m.ref, c) for m in measures for c in m.changes]
    changes = [
        (measure_ids[ref], stored_at(c.at), c.author, c.field, c.old, c.new, uid, origin)
        for (ref, c), uid in zip(changed, ordered_uids(len(changed)), strict=True)
    ]
    insert_rows(
        conn,
        T.measure_change,
        ("measure_id", "at", "author", "field", "old", "new", "uid", "origin"),
        changes,
        converted=True,
    )


def views_of_plan(conn: Connection, plan_id: int) -> list[SavedView]:
    """The plan's saved views, oldest first (the order the workbench numbers them in)."""
    v = T.saved_view
    rows = conn.execute(
        select(v.c.name, v.c.expression, v.c.node, v.c.sort).where(v.c.plan_id == plan_id).order_by(v.c.id)
    )
    return [SavedView(name, expression, node, sort) for name, expression, node, sort in rows]


def insert_views(conn: Connection, plan_id: int, views: list[SavedView]) -> None:
    """Write views as they are (a new plan's, a copied or imported plan's), in their order."""
    if views:
        conn.execute(
            insert(T.saved_view),
            [
                {
                    "plan_id": plan_id,
                    "name": view.name,
                    "name_key": name_key(view.name),
                    "expression": view.filter,
                    "node": view.node,
                    "sort": view.sort,
                }
                for view in views
            ],
        )


def dump_document(database: Database) -> PlanDocument:
    """The store's plan as a document, history included, in plan order."""
    with database.read() as conn:
        return read_document(conn, database)


def read_document(conn: Connection, database: Database | None = None) -> PlanDocument:
    """The plan as a document, read on an open connection (inside a write, to check what it wrote)."""
    plan_id = current_plan_id(conn, database)
    plan = conn.execute(select(T.plan).where(T.plan.c.id == plan_id)).one()
    doc = PlanDocument(
        title=plan.title,
        organisation=plan.organisation,
        phase=plan.phase,
        foreword=plan.foreword,
        status_date=plan.status_date,
    )
    themes: dict[int, ThemeDoc] = {}
    for row in conn.execute(select(T.theme).where(T.theme.c.plan_id == plan_id).order_by(T.theme.c.position)):
        themes[row.id] = ThemeDoc(row.ref, row.title, row.aim)
        doc.themes.append(themes[row.id])
    areas: dict[int, AreaDoc] = {}
    for row in conn.execute(
        select(T.area).where(T.area.c.theme_id.in_(themes)).order_by(T.area.c.theme_id, T.area.c.position)
    ):
        areas[row.id] = AreaDoc(row.ref, row.title, row.outcomes)
        themes[row.theme_id].areas.append(areas[row.id])
    objectives: dict[int, ObjectiveDoc] = {}
    for row in conn.execute(
        select(T.objective)
        .where(T.objective.c.area_id.in_(areas))
        .order_by(T.objective.c.area_id, T.objective.c.position)
    ):
        objectives[row.id] = ObjectiveDoc(row.ref, row.text)
        areas[row.area_id].objectives.append(objectives[row.id])
    actions: dict[int, ActionDoc] = {}
    for row in conn.execute(
        select(T.action)
        .where(T.action.c.plan_id == plan_id)
        .order_by(T.action.c.objective_id, T.action.c.position)
    ):
        action = ActionDoc(
            ref=row.ref,
            title=row.title,
            success_measures=row.success_measures,
            rag=row.status,
            milestone=row.milestone,
            due=row.due,
            baseline=row.baseline,
            baseline_due=row.baseline_due,
            detailed_plan=row.detailed_plan,
            objective_statement=row.objective_statement,
            commentary=row.commentary,
            impact=bool(row.impact),
        )
        actions[row.id] = action
        objectives[row.objective_id].actions.append(action)
    for action_id, name in conn.execute(
        select(T.action_lead.c.action_id, T.officer.c.name)
        .join(T.officer, T.officer.c.id == T.action_lead.c.officer_id)
        .join(T.action, T.action.c.id == T.action_lead.c.action_id)
        .where(T.action.c.plan_id == plan_id)
        .order_by(T.action_lead.c.action_id, T.action_lead.c.position)
    ):
        actions[action_id].leads.append(name)
    o = T.officer
    doc.people = [
        LeadDoc(role, person, email)
        for role, person, email in conn.execute(
            select(o.c.name, o.c.person, o.c.email)
            .where(
                o.c.id.in_(
                    select(T.action_lead.c.officer_id)
                    .join(T.action, T.action.c.id == T.action_lead.c.action_id)
                    .where(T.action.c.plan_id == plan_id)
                ),
                or_(o.c.person != "", o.c.email != ""),
            )
            .order_by(o.c.name)
        )
    ]
    marks: dict[int, list[Carried]] = {}
    c = T.carried_value
    for action_id, field, from_ref, doubtful in conn.execute(
        select(c.c.action_id, c.c.field, c.c.from_ref, c.c.doubtful)
        .join(T.action, T.action.c.id == c.c.action_id)
        .where(T.action.c.plan_id == plan_id)
    ):
        if field in CARRIED_FIELDS:
            marks.setdefault(action_id, []).append(Carried(field, from_ref, bool(doubtful)))
    for action_id, found in marks.items():
        actions[action_id].carried = in_field_order(found)
    meeting_positions: dict[int, int] = {}
    for row in conn.execute(
        select(T.meeting)
        .where(T.meeting.c.plan_id == plan_id)
        .order_by(T.meeting.c.started_at, T.meeting.c.id)
    ):
        meeting_positions[row.id] = len(doc.meetings)
        doc.meetings.append(MeetingDoc(row.title, row.scope, row.started_at, row.ended_at, row.recorded_by))
    positions: dict[int, int] = {}
    h = T.history
    # Unpacked by position, and fetched at once: 100,000 rows read by name cost a second.
    for history_id, action_id, at, author, field, old, new, note, undoes_id, meeting_id in conn.execute(
        select(
            h.c.id,
            h.c.action_id,
            h.c.at,
            h.c.author,
            h.c.field,
            h.c.old,
            h.c.new,
            h.c.note,
            h.c.undoes_id,
            h.c.meeting_id,
        )
        .join(T.action, T.action.c.id == h.c.action_id)
        .where(T.action.c.plan_id == plan_id)
        .order_by(h.c.action_id, h.c.id)  # commit order: a clock put right does not reorder it
    ).all():
        history = actions[action_id].history
        positions[history_id] = len(history)
        undoes = positions.get(undoes_id) if undoes_id is not None else None
        meeting = meeting_positions.get(meeting_id) if meeting_id is not None else None
        history.append(HistoryEntryDoc(at, author, field, old, new, note, undoes, meeting))
    for finding in conn.execute(
        select(T.finding).where(T.finding.c.plan_id == plan_id).order_by(T.finding.c.position)
    ):
        refs = conn.execute(
            select(T.finding_ref.c.ref)
            .where(T.finding_ref.c.finding_id == finding.id)
            .order_by(T.finding_ref.c.position)
        ).scalars()
        doc.findings.append(FindingDoc(finding.source, finding.text, list(refs)))
    doc.views = views_of_plan(conn, plan_id)
    doc.measures = read_measures(conn, plan_id)
    return doc


def read_measures(conn: Connection, plan_id: int, *, before: datetime | None = None) -> list[MeasureDoc]:
    """The plan's measures with their links and values, in plan order; with `before`, only the values
    recorded before that moment (stored UTC), as they stood then."""
    m = T.measure
    measures: dict[int, MeasureDoc] = {}
    for row in conn.execute(
        select(m, T.officer.c.name.label("owner_name"))
        .outerjoin(T.officer, T.officer.c.id == m.c.owner_id)
        .where(m.c.plan_id == plan_id)
        .order_by(m.c.position, m.c.id)
    ):
        measures[row.id] = MeasureDoc(
            ref=row.ref,
            name=row.name,
            unit=row.unit,
            direction=row.direction,
            target=row.target,
            tolerance=row.tolerance,
            frequency=row.frequency,
            owner=row.owner_name or "",
        )
    if not measures:
        return []
    finding_positions = {
        id_: position
        for position, id_ in enumerate(
            conn.execute(
                select(T.finding.c.id).where(T.finding.c.plan_id == plan_id).order_by(T.finding.c.position)
            ).scalars()
        )
    }
    for table, column, named in (
        (T.measure_objective, T.objective.c.ref, T.objective),
        (T.measure_action, T.action.c.ref, T.action),
    ):
        linked = table.c[f"{named.name}_id"]
        for measure_id, ref in conn.execute(
            select(table.c.measure_id, column)
            .join(named, named.c.id == linked)
            .where(table.c.measure_id.in_(measures))
            .order_by(table.c.measure_id, table.c.position)
        ):
            getattr(measures[measure_id], f"{named.name}s").append(ref)
    f = T.measure_finding
    for measure_id, finding_id in conn.execute(
        select(f.c.measure_id, f.c.finding_id)
        .where(f.c.measure_id.in_(measures))
        .order_by(f.c.measure_id, f.c.position)
    ):
        measures[measure_id].findings.append(finding_positions[finding_id])
    v = T.measure_value
    query = (
        select(v.c.measure_id, v.c.period, v.c.value, v.c.at, v.c.author, v.c.note)
        .where(v.c.measure_id.in_(measures))
        .order_by(v.c.measure_id, v.c.id)  # commit order, as history is read
    )
    if before is not None:
        query = query.where(v.c.id <= _last_value_before(conn, plan_id, before))
    for measure_id, period, value, at, author, note in conn.execute(query):
        measures[measure_id].values.append(MeasureValueDoc(period, value, at, author, note))
    c = T.measure_change
    for measure_id, at, author, field, old, new in conn.execute(
        select(c.c.measure_id, c.c.at, c.c.author, c.c.field, c.c.old, c.c.new)
        .where(c.c.measure_id.in_(measures))
        .order_by(c.c.measure_id, c.c.id)
    ):
        measures[measure_id].changes.append(MeasureChangeDoc(at, author, field, old, new))
    return list(measures.values())


def _last_value_before(conn: Connection, plan_id: int, moment: datetime) -> int:
    """The id of the newest value stamped before `moment` (0 when none is): as with history, the
    values as at a moment are every row up to it in commit order, whatever the clock said between."""
    v = T.measure_value
    return conn.execute(
        select(func.coalesce(func.max(v.c.id), 0))
        .join(T.measure, T.measure.c.id == v.c.measure_id)
        .where(T.measure.c.plan_id == plan_id, v.c.at < moment)
    ).scalar_one()


def copy_plan(source: Database, target: Database, *, replace: bool = False) -> PlanDocument:
    """Copy the whole plan, history included, from `source` into `target` (SQLite or PostgreSQL).

    One transaction on the target: the plan is written, read back on the same connection and compared
    with what was read from the source; any difference rolls the copy back, so a copy either lands whole
    and equal or leaves the target as it was. History ids are renumbered; undo links, authors and
    timestamps are kept. A target that already holds a plan is refused unless `replace`.
    """
    return write_copy(dump_document(source), target, replace=replace, source_display=source.display)


def write_copy(
    document: PlanDocument, target: Database, *, replace: bool = False, source_display: str
) -> PlanDocument:
    """Write a plan read from another store into `target`, checked by reading it back (`copy_plan`)."""
    with target.write() as conn:
        if plan_count(conn):
            if not replace:
                raise PlantuiError(f"{target.display} already holds a plan: use --force to replace it")
            _keep_replaced(conn, target)
            _delete_all(conn)
        _insert_document(conn, document)
        for action in document.actions():  # as the target now holds them
            action.milestone = tidy_label(action.milestone)
            action.baseline = tidy_label(action.baseline) if action.baseline is not None else None
        if read_document(conn, target) != document:
            raise StoreError(
                f"the copy in {target.display} did not read back the same as {source_display}; "
                "nothing was written"
            )
    return document


def fill_new_file(path: Path, fill: Callable[[Database], T_], notices: list[str] | None = None) -> T_:
    """Make a new SQLite store at `path` holding what `fill` writes into it, whole or not at all.

    The store is made under a hidden, unpredictable name in the same folder, filled, closed, and only
    then given its name. A process killed part-way (or a `fill` that fails) leaves nothing at `path`:
    neither an empty file nor one cut short beside a journal, which the next open would refuse. Should
    another program make `path` meanwhile, its file is kept and nothing is written there. What an
    earlier file of that name left beside it is set aside first (`set_aside_leftovers`); the lines
    saying so go into `notices`.
    """
    from plantui.store.location import file_location
    from plantui.store.opening import open_database

    path = path.absolute()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    except OSError as error:
        raise StoreError(f"cannot create {path}: {error.strerror or error}") from None
    os.close(handle)
    staging = Path(name)
    staging.unlink()  # open_database makes it afresh (0600), as it makes any new store
    try:
        database = open_database(file_location(staging), daily_backup=False)
        try:
            result = fill(database)
        finally:
            database.close()
        said = set_aside_leftovers(path)
        _name_new_file(staging, path)
        if notices is not None:
            notices.extend(said)
    finally:
        for leftover in (staging, *(Path(f"{staging}{side}") for side in ("-journal", "-wal", "-shm"))):
            leftover.unlink(missing_ok=True)
    return result


def _name_new_file(staging: Path, path: Path) -> None:
    """Give the finished file its name, never over a file that appeared there meanwhile."""
    taken = StoreError(f"{path} was made by another program meanwhile: it was kept, and nothing was written")
    try:
        os.link(staging, path)  # fails if `path` exists, where a rename would replace it
    except FileExistsError:
        raise taken from None
    except OSError:  # a file system without hard links
        if path.exists():
            raise taken from None
        try:
            os.replace(staging, path)
        except OSError as error:
            raise StoreError(f"cannot create {path}: {error.strerror or error}") from None
