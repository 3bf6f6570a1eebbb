"""Reading the plan: actions as rows, one action, its history, the tree's nodes, and the findings.

Every function returns plain values from `plantui.domain.views`, built from Core rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, case, func, literal_column, select

from plantui.domain.carried import CARRIED_FIELDS, Carried, in_field_order
from plantui.domain.errors import NotFoundError, StoreError
from plantui.domain.evidence import EVIDENCE_FIELD
from plantui.domain.refs import normalise_ref
from plantui.domain.statuses import STATUS_CODES
from plantui.domain.views import ActionRow, Finding, HistoryEntry, NodeInfo, PlanInfo
from plantui.store import tables as T
from plantui.store.database import Database
from plantui.store.plans import current_plan_id


def plan_info(database: Database) -> PlanInfo:
    with database.read() as conn:
        plan_id = current_plan_id(conn, database)
        row = conn.execute(select(T.plan).where(T.plan.c.id == plan_id)).one()
    return PlanInfo(row.id, row.title, row.organisation, row.phase, row.foreword, row.status_date)


def _action_select():
    """The action table's columns, in `ActionRow`'s order (without leads), which `_row` relies on."""
    return (
        select(
            T.action.c.id,
            T.action.c.ref,
            T.action.c.title,
            T.action.c.status,
            T.action.c.milestone,
            T.action.c.due,
            T.action.c.baseline,
            T.action.c.baseline_due,
            T.action.c.detailed_plan,
            T.action.c.success_measures,
            T.action.c.updated_at,
            T.action.c.last_note,
            T.objective.c.ref.label("objective_ref"),
            T.area.c.ref.label("area_ref"),
            T.theme.c.ref.label("theme_ref"),
            T.action.c.objective_statement,
            T.action.c.commentary,
            T.action.c.impact,
        )
        .join(T.objective, T.objective.c.id == T.action.c.objective_id)
        .join(T.area, T.area.c.id == T.objective.c.area_id)
        .join(T.theme, T.theme.c.id == T.area.c.theme_id)
        .order_by(T.theme.c.position, T.area.c.position, T.objective.c.position, T.action.c.position)
    )


def _leads_by_action(
    conn: Connection, action_ids: Iterable[int] | None, plan_id: int
) -> dict[int, list[str]]:
    query = (
        select(T.action_lead.c.action_id, T.officer.c.name)
        .join(T.officer, T.officer.c.id == T.action_lead.c.officer_id)
        .order_by(T.action_lead.c.action_id, T.action_lead.c.position)
    )
    if action_ids is None:
        query = query.join(T.action, T.action.c.id == T.action_lead.c.action_id).where(
            T.action.c.plan_id == plan_id
        )
    else:
        query = query.where(T.action_lead.c.action_id.in_(list(action_ids)))
    leads: dict[int, list[str]] = defaultdict(list)
    for action_id, name in conn.execute(query).all():
        leads[action_id].append(name)
    return leads


def _carried_by_action(
    conn: Connection, action_ids: Iterable[int] | None, plan_id: int
) -> dict[int, tuple[Carried, ...]]:
    """The carried-down marks of the plan's actions (or of `action_ids`), each action's in field order."""
    c = T.carried_value
    query = select(c.c.action_id, c.c.field, c.c.from_ref, c.c.doubtful)
    if action_ids is None:
        query = query.join(T.action, T.action.c.id == c.c.action_id).where(T.action.c.plan_id == plan_id)
    else:
        query = query.where(c.c.action_id.in_(list(action_ids)))
    marks: dict[int, list[Carried]] = defaultdict(list)
    for action_id, field, from_ref, doubtful in conn.execute(query).all():
        if field in CARRIED_FIELDS:  # a field this plantui does not know is left unread, not shown wrong
            marks[action_id].append(Carried(field, from_ref, bool(doubtful)))
    return {action_id: tuple(in_field_order(found)) for action_id, found in marks.items()}


class UnknownStoredStatus(StoreError):
    """The store holds a status that is no status code: the database was edited by hand or written by
    another tool. It is the store at fault, not anything the user typed."""


def unknown_status(code: object, where: str) -> StoreError:
    """The error for a status in the store that is not a status code (see `UnknownStoredStatus`)."""
    return UnknownStoredStatus(
        f"the database holds an unknown status {code!r} for {where} (a status is one of "
        f"{', '.join(STATUS_CODES)}): restore a backup or correct the database"
    )


def check_status(code: object, where: str) -> None:
    """Refuse a stored status that is not a status code (see `unknown_status`)."""
    if code not in _STATUS_SET:
        raise unknown_status(code, where)


_STATUS_SET = frozenset(STATUS_CODES)


def _evidence_by_action(conn: Connection, action_ids: Iterable[int] | None, plan_id: int) -> dict[int, int]:
    """How many pieces of evidence stand for each action (of the plan, or `action_ids`) that has any:
    each evidence row adds one and each undo of one (its `new` is None) takes one away."""
    h = T.history
    counted = func.sum(case((h.c.new.is_(None), -1), else_=1))
    # A literal, not a parameter, so the planner can use the partial index `ix_history_evidence`.
    only_evidence = h.c.field == literal_column(f"'{EVIDENCE_FIELD}'")
    query = select(h.c.action_id, counted).where(only_evidence).group_by(h.c.action_id)
    if action_ids is None:
        query = query.join(T.action, T.action.c.id == h.c.action_id).where(T.action.c.plan_id == plan_id)
    else:
        query = query.where(h.c.action_id.in_(list(action_ids)))
    return {action_id: count for action_id, count in conn.execute(query).all() if count > 0}


def _row(
    row, leads: dict[int, list[str]], carried: dict[int, tuple[Carried, ...]], evidence: dict[int, int]
) -> ActionRow:
    # By position, not by name: `_action_select` lists the columns in ActionRow's order (leads apart),
    # and reading 10,000 rows by name costs several times more.
    if row[3] not in _STATUS_SET:
        raise unknown_status(row[3], f"action {row[1]}")
    return ActionRow(
        row[0], row[1], row[2], tuple(leads.get(row[0], ())), *row[3:15], carried.get(row[0], ()),
        row[15], row[16], bool(row[17]), evidence.get(row[0], 0),
    )  # fmt: skip


def list_actions(database: Database) -> list[ActionRow]:
    """Every action of the plan, in plan order. Filter them with `plantui.domain.filters`."""
    with database.read() as conn:
        return actions_of_plan(conn, current_plan_id(conn, database))


def actions_of_plan(conn: Connection, plan_id: int) -> list[ActionRow]:
    """`list_actions` inside a transaction the caller holds, to read more in the same snapshot."""
    rows = conn.execute(_action_select().where(T.action.c.plan_id == plan_id)).all()
    leads = _leads_by_action(conn, None, plan_id)
    carried = _carried_by_action(conn, None, plan_id)
    evidence = _evidence_by_action(conn, None, plan_id)
    return [_row(row, leads, carried, evidence) for row in rows]


def get_action(database: Database, ref: str) -> ActionRow:
    with database.read() as conn:
        return action_by_ref(conn, database, ref)


def action_by_ref(conn: Connection, database: Database, ref: str) -> ActionRow:
    ref = normalise_ref(ref)
    plan_id = current_plan_id(conn, database)
    row = conn.execute(
        _action_select().where(T.action.c.plan_id == plan_id, T.action.c.ref == ref)
    ).one_or_none()
    if row is None:
        raise NotFoundError(f"no action with ref {ref} in {database.display}")
    return _row(
        row,
        _leads_by_action(conn, [row.id], plan_id),
        _carried_by_action(conn, [row.id], plan_id),
        _evidence_by_action(conn, [row.id], plan_id),
    )


def actions_by_refs(conn: Connection, database: Database, refs: Sequence[str]) -> list[ActionRow]:
    """Several actions by ref, in the order asked, read a few hundred at a time rather than one by one;
    a ref that names no action is refused as `action_by_ref` refuses it (the first such, in order)."""
    wanted = [normalise_ref(ref) for ref in refs]
    plan_id = current_plan_id(conn, database)
    found: dict[str, object] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for row in conn.execute(
            _action_select().where(T.action.c.plan_id == plan_id, T.action.c.ref.in_(chunk))
        ).all():
            found[row[1]] = row
    missing = next((ref for ref in wanted if ref not in found), None)
    if missing is not None:
        raise NotFoundError(f"no action with ref {missing} in {database.display}")
    ids = [found[ref][0] for ref in wanted]  # type: ignore[index]
    leads = _leads_by_action(conn, ids, plan_id)
    carried = _carried_by_action(conn, ids, plan_id)
    evidence = _evidence_by_action(conn, ids, plan_id)
    return [_row(found[ref], leads, carried, evidence) for ref in wanted]


def history_entry(row) -> HistoryEntry:
    # By position: `history_select` lists the columns in HistoryEntry's order.
    if row[4] == "status":
        for code in (row[5], row[6]):
            if code is not None and code not in _STATUS_SET:
                raise unknown_status(code, f"action {row[1]} in history #{row[0]}")
    return HistoryEntry(*row)


def history_select():
    """History columns in `HistoryEntry`'s order, which `history_entry` relies on."""
    return (
        select(
            T.history.c.id,
            T.action.c.ref,
            T.history.c.at,
            T.history.c.author,
            T.history.c.field,
            T.history.c.old,
            T.history.c.new,
            T.history.c.note,
            T.history.c.undoes_id,
            T.history.c.meeting_id,
            T.action.c.title,
            T.history.c.uid,
            T.history.c.origin,
        )
        .join(T.action, T.action.c.id == T.history.c.action_id)
        .order_by(T.history.c.id.desc())
    )


def action_history(database: Database, ref: str) -> list[HistoryEntry]:
    """One action's history, newest first. An unknown ref is a `NotFoundError`."""
    with database.read() as conn:
        action = action_by_ref(conn, database, ref)
        rows = conn.execute(history_select().where(T.history.c.action_id == action.id)).all()
    return [history_entry(row) for row in rows]


def plan_history(
    database: Database, *, since: datetime | None = None, until: datetime | None = None
) -> list[HistoryEntry]:
    """Every change to the plan, newest first, optionally within [since, until)."""
    with database.read() as conn:
        plan_id = current_plan_id(conn, database)
        query = history_select().where(T.action.c.plan_id == plan_id)
        if since is not None:
            query = query.where(T.history.c.at >= since)
        if until is not None:
            query = query.where(T.history.c.at < until)
        rows = conn.execute(query).all()
    return [history_entry(row) for row in rows]


def latest_history_id(database: Database) -> int:
    """The newest history row's id (0 before any change): where a window starts polling from."""
    with database.read() as conn:
        return conn.execute(select(func.coalesce(func.max(T.history.c.id), 0))).scalar_one()


def changes_after(database: Database, history_id: int, *, limit: int = 1000) -> list[HistoryEntry]:
    """Changes recorded after `history_id`, oldest first: what another window or person has done.

    Cheap enough to call every few seconds (one indexed range query). History ids are given out in
    commit order on both backends (writes are serialised per store), so a poller that remembers the
    last id it saw misses nothing. At most `limit` rows; poll again from the last one for the rest.
    A whole plan replaced (`import --force`, `copy --force`) can restart ids on SQLite: when
    `latest_history_id` is below the last id seen, reload everything rather than poll.
    """
    with database.read() as conn:
        plan_id = current_plan_id(conn, database)
        rows = conn.execute(
            history_select()
            .where(T.action.c.plan_id == plan_id, T.history.c.id > history_id)
            .order_by(None)
            .order_by(T.history.c.id)
            .limit(limit)
        ).all()
    return [history_entry(row) for row in rows]


@dataclass(frozen=True, slots=True)
class HistoryMark:
    """Where a window stands in the history: the plan it shows (its id and when it was made: a plan
    replaced by `import --force` is a new one even when SQLite gives it the old id) and the newest
    change it took in, as (id, at, ref, field, new), or None before any."""

    plan: tuple[int, datetime]
    last: tuple[int, datetime | None, str | None, str | None, str | None] | None

    @property
    def last_id(self) -> int:
        return self.last[0] if self.last is not None else 0

    def after(self, entry: HistoryEntry) -> HistoryMark:
        """The mark once `entry` (a change of the same plan) has been taken in."""
        return HistoryMark(self.plan, _entry_key(entry))


def _entry_key(entry: HistoryEntry) -> tuple[int, datetime, str, str, str | None]:
    return entry.id, entry.at, entry.action_ref, entry.field, entry.new


def _plan_mark(conn: Connection, database: Database) -> tuple[int, datetime]:
    plan_id = current_plan_id(conn, database)
    created = conn.execute(select(T.plan.c.created_at).where(T.plan.c.id == plan_id)).scalar_one()
    return plan_id, created


def _key_by_id(conn: Connection, history_id: int) -> tuple[int, datetime, str, str, str | None] | None:
    """Change `history_id` as a mark holds it; raw, so that a damaged row (an unknown status word,
    told where the history is shown) never stops a window from loading or watching."""
    h = T.history
    row = conn.execute(
        select(h.c.id, h.c.at, T.action.c.ref, h.c.field, h.c.new)
        .join(T.action, T.action.c.id == h.c.action_id)
        .where(h.c.id == history_id)
    ).one_or_none()
    return tuple(row) if row is not None else None


def history_mark(database: Database, upto: int | None = None) -> HistoryMark:
    """The mark of the plan as it is now: its newest change, or change `upto` (what a window drawn
    from a snapshot saw). Read before the plan's rows, so a change landing meanwhile is seen twice
    (harmless) rather than missed."""
    with database.read() as conn:
        plan = _plan_mark(conn, database)
        if upto is None:
            plan_id = plan[0]
            upto = conn.execute(
                select(func.coalesce(func.max(T.history.c.id), 0))
                .join(T.action, T.action.c.id == T.history.c.action_id)
                .where(T.action.c.plan_id == plan_id)
            ).scalar_one()
        if not upto:
            return HistoryMark(plan, None)
        key = _key_by_id(conn, upto)
    # A change gone already (the plan was reset after the snapshot) keeps its id only, so that
    # `history_break` reports it.
    return HistoryMark(plan, key if key is not None else (upto, None, None, None, None))


def history_break(database: Database, mark: HistoryMark) -> str | None:
    """Why the history no longer continues from `mark` (another plan, ids gone back, a change that is
    not the one seen: a restore or an `import --force` elsewhere), in words; None when it does.
    A window that gets words back reloads the whole plan instead of polling from the mark."""
    with database.read() as conn:
        if _plan_mark(conn, database) != mark.plan:
            return "the database holds another plan now (replaced by an import --force or a restore)"
        if mark.last is None:
            return None
        key = _key_by_id(conn, mark.last_id)
        if key is None:
            newest = conn.execute(select(func.coalesce(func.max(T.history.c.id), 0))).scalar_one()
            return (
                f"its history went back from change #{mark.last_id} to #{newest} "
                "(a restore or an import --force)"
            )
    if key != mark.last:
        return f"change #{mark.last_id} is no longer the one shown (a restore or an import --force)"
    return None


def nodes(database: Database) -> list[NodeInfo]:
    """Themes, areas and objectives in plan order (each theme followed by its areas, and so on)."""
    with database.read() as conn:
        plan_id = current_plan_id(conn, database)
        themes = conn.execute(
            select(T.theme.c.id, T.theme.c.ref, T.theme.c.title, T.theme.c.aim)
            .where(T.theme.c.plan_id == plan_id)
            .order_by(T.theme.c.position)
        ).all()
        areas = conn.execute(
            select(T.area.c.id, T.area.c.theme_id, T.area.c.ref, T.area.c.title, T.area.c.outcomes)
            .where(T.area.c.theme_id.in_([t.id for t in themes]))
            .order_by(T.area.c.position)
        ).all()
        objectives = conn.execute(
            select(T.objective.c.area_id, T.objective.c.ref, T.objective.c.text)
            .where(T.objective.c.area_id.in_([a.id for a in areas]))
            .order_by(T.objective.c.position)
        ).all()
    areas_of: dict[int, list] = defaultdict(list)
    for area in areas:
        areas_of[area.theme_id].append(area)
    objectives_of: dict[int, list] = defaultdict(list)
    for objective in objectives:
        objectives_of[objective.area_id].append(objective)
    result: list[NodeInfo] = []
    for theme in themes:
        result.append(NodeInfo(theme.ref, "theme", theme.title, theme.aim))
        for area in areas_of[theme.id]:
            result.append(NodeInfo(area.ref, "area", area.title, area.outcomes))
            for objective in objectives_of[area.id]:
                result.append(NodeInfo(objective.ref, "objective", objective.text, objective.text))
    return result


def findings(database: Database) -> list[Finding]:
    with database.read() as conn:
        plan_id = current_plan_id(conn, database)
        rows = conn.execute(
            select(T.finding.c.id, T.finding.c.source, T.finding.c.text)
            .where(T.finding.c.plan_id == plan_id)
            .order_by(T.finding.c.position)
        ).all()
        refs: dict[int, list[str]] = defaultdict(list)
        for finding_id, ref in conn.execute(
            select(T.finding_ref.c.finding_id, T.finding_ref.c.ref)
            .where(T.finding_ref.c.finding_id.in_([r.id for r in rows]))
            .order_by(T.finding_ref.c.finding_id, T.finding_ref.c.position)
        ):
            refs[finding_id].append(ref)
    return [Finding(r.id, r.source, r.text, tuple(refs[r.id])) for r in rows]
