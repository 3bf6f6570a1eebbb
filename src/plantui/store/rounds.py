"""The monthly update round: requests issued to the leads, returns collected from them.

A round is state in the database, like a board meeting: the one round of the plan whose `ended_at` is
NULL is open, and starting another while it is open is refused. Starting a round records, per lead,
the actions in its scope and each one's status and milestone *as issued* (`round_item`): a return is
later checked against those, so an update to an action someone changed since is held for review
instead of overwriting that change (`plantui.store.returns`). Each round has a random `token` that
every request file carries, so a return is matched to its round and a file from another round or
another plan is told apart.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, func, insert, select, update

from plantui.domain.errors import InputError, NotFoundError
from plantui.domain.scopes import Scope, parse_scope
from plantui.domain.text import visible
from plantui.domain.views import ActionRow
from plantui.store import tables as T
from plantui.store.clock import utcnow
from plantui.store.database import Database
from plantui.store.leads import Lead, plan_leads
from plantui.store.plans import current_plan_id
from plantui.store.queries import actions_of_plan, nodes


@dataclass(frozen=True, slots=True)
class Round:
    id: int
    token: str
    scope: str
    include_complete: bool
    issued_on: date
    due: date
    started_at: datetime  # naive UTC
    started_by: str
    ended_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True, slots=True)
class IssuedAction:
    """An action as a lead was asked about it: the request's row."""

    action_id: int
    ref: str
    title: str
    success_measures: str
    status: str  # as issued
    milestone: str  # as issued
    last_note: str  # the latest commentary when issued (as it stands now: notes only add)


@dataclass(frozen=True, slots=True)
class Collected:
    """A return collected: the file, when, by whom."""

    id: int
    file_name: str
    collected_at: datetime  # naive UTC
    collected_by: str
    step_id: int | None


@dataclass(frozen=True, slots=True)
class Review:
    """An update a return proposed that was not applied: the action had changed since it was issued."""

    ref: str
    field: str
    issued: str
    found: str
    proposed: str
    note: str
    lead: str
    file_name: str


@dataclass(frozen=True, slots=True)
class LeadRequest:
    """One lead's part of a round: their actions as issued and the returns collected from them."""

    lead: Lead
    actions: tuple[IssuedAction, ...]
    returns: tuple[Collected, ...]


@dataclass(frozen=True, slots=True)
class RoundDetail:
    round: Round
    requests: tuple[LeadRequest, ...]  # by role
    reviews: tuple[Review, ...]

    def request_of(self, officer_id: int) -> LeadRequest | None:
        return next((r for r in self.requests if r.lead.id == officer_id), None)


_ROUND_COLUMNS = (
    "id", "token", "scope", "include_complete", "issued_on", "due", "started_at", "started_by", "ended_at",
)  # fmt: skip


def _round_select(plan_id: int):
    r = T.update_round
    return (
        select(*(r.c[name] for name in _ROUND_COLUMNS)).where(r.c.plan_id == plan_id).order_by(r.c.id.desc())
    )


def _round(row) -> Round:
    return Round(*row[:3], bool(row[3]), *row[4:])


def open_round_in(conn: Connection, plan_id: int) -> Round | None:
    row = conn.execute(
        _round_select(plan_id).where(T.update_round.c.ended_at.is_(None)).limit(1)
    ).one_or_none()
    return _round(row) if row is not None else None


def round_by_id(conn: Connection, plan_id: int, round_id: int) -> Round:
    row = conn.execute(_round_select(plan_id).where(T.update_round.c.id == round_id)).one_or_none()
    if row is None:
        raise NotFoundError(f"there is no update round {round_id} (plantui round list)")
    return _round(row)


def round_by_token(conn: Connection, token: str) -> tuple[int, Round] | None:
    """(its plan's id, the round) for a request file's token, whatever plan it belongs to."""
    r = T.update_round
    row = conn.execute(
        select(r.c.plan_id, *(r.c[name] for name in _ROUND_COLUMNS)).where(r.c.token == token)
    ).one_or_none()
    return (row[0], _round(row[1:])) if row is not None else None


def start_round(
    database: Database,
    *,
    due: date,
    today: date,
    scope: str = "plan",
    include_complete: bool = False,
    author: str,
    at: datetime | None = None,
) -> RoundDetail:
    """Open a round over `scope` issued `today`, returns due by `due`: records, per lead, each action
    in scope (complete ones only with `include_complete`) with its status and milestone as now.

    Refused while another round is open, for a due day before today, for a scope naming nothing, and
    when no action in scope has a lead.
    """
    who = " ".join((author or "").split())
    if not who:
        raise InputError("author: say who is starting the round (--author NAME)")
    if due < today:
        raise InputError(f"--due {due.isoformat()}: the day is before today ({today.isoformat()})")
    chosen = parse_scope(scope)
    if chosen.kind not in {"plan", "filter"}:
        known = {node.ref for node in nodes(database)}
        if chosen.kind != "action" and chosen.value not in known:
            raise NotFoundError(f"scope {chosen.text}: there is no {chosen.kind} {chosen.value} in the plan")
    with database.write() as conn:
        plan_id = current_plan_id(conn, database)
        already = open_round_in(conn, plan_id)
        if already is not None:
            raise InputError(
                f"update round {already.id} (due {already.due.isoformat()}) is still open: "
                "end it first (plantui round end)"
            )
        rows = [
            row
            for row in _scoped(conn, plan_id, chosen, today)
            if include_complete or row.status != "complete"
        ]
        by_role = {lead.role: lead for lead in plan_leads(conn, plan_id)}
        items = [
            (by_role[name].id, row.id, row.status, row.milestone)
            for row in rows
            for name in dict.fromkeys(row.leads)
            if name in by_role
        ]
        if not items:
            raise InputError(f"scope {chosen.text}: no action in it has a lead to ask" + (
                "" if include_complete else " (complete actions are left out; --include-complete)"
            ))  # fmt: skip
        round_id = conn.execute(
            insert(T.update_round).values(
                plan_id=plan_id,
                token=secrets.token_hex(8),
                scope=chosen.text,
                include_complete=include_complete,
                issued_on=today,
                due=due,
                started_at=at or utcnow(),
                started_by=who,
                ended_at=None,
            )
        ).inserted_primary_key[0]
        conn.execute(
            insert(T.round_item),
            [
                {"round_id": round_id, "officer_id": o, "action_id": a, "status": s, "milestone": m}
                for o, a, s, m in items
            ],
        )
        return _detail(conn, plan_id, round_by_id(conn, plan_id, round_id))


def _detail(conn: Connection, plan_id: int, chosen: Round) -> RoundDetail:
    i, a = T.round_item, T.action
    leads = {lead.id: lead for lead in plan_leads(conn, plan_id)}
    issued: dict[int, list[IssuedAction]] = {}
    for row in conn.execute(
        select(i.c.officer_id, a.c.id, a.c.ref, a.c.title, a.c.success_measures, i.c.status, i.c.milestone,
               a.c.last_note)
        .join(a, a.c.id == i.c.action_id)
        .where(i.c.round_id == chosen.id)
    ):  # fmt: skip
        issued.setdefault(row[0], []).append(IssuedAction(*row[1:8]))
    order = {row.id: index for index, row in enumerate(actions_of_plan(conn, plan_id))}
    r = T.round_return
    returns: dict[int, list[Collected]] = {}
    for row in conn.execute(
        select(r.c.officer_id, r.c.id, r.c.file_name, r.c.collected_at, r.c.collected_by, r.c.step_id)
        .where(r.c.round_id == chosen.id)
        .order_by(r.c.id)
    ):
        returns.setdefault(row[0], []).append(Collected(*row[1:]))
    requests = tuple(
        LeadRequest(
            leads[officer_id],
            tuple(sorted(actions, key=lambda x: order.get(x.action_id, 0))),
            tuple(returns.get(officer_id, ())),
        )
        for officer_id, actions in sorted(issued.items(), key=lambda item: leads[item[0]].role)
        if officer_id in leads
    )
    v = T.round_review
    o = T.officer
    reviews = tuple(
        Review(*row)
        for row in conn.execute(
            select(a.c.ref, v.c.field, v.c.issued, v.c.found, v.c.proposed, v.c.note, o.c.name, r.c.file_name)
            .join(r, r.c.id == v.c.return_id)
            .join(a, a.c.id == v.c.action_id)
            .join(o, o.c.id == r.c.officer_id)
            .where(r.c.round_id == chosen.id)
            .order_by(v.c.id)
        )
    )
    return RoundDetail(chosen, requests, reviews)


def round_detail(database: Database, round_id: int | None = None) -> RoundDetail:
    """A round (the open one, else the newest, when no id is given) with its requests and returns."""
    with database.read() as conn:
        plan_id = current_plan_id(conn, database)
        if round_id is not None:
            return _detail(conn, plan_id, round_by_id(conn, plan_id, round_id))
        row = conn.execute(_round_select(plan_id).limit(1)).one_or_none()
        if row is None:
            raise NotFoundError("no update round has been started: plantui round start --due YYYY-MM-DD")
        return _detail(conn, plan_id, _round(row))


def open_round(database: Database) -> Round | None:
    with database.read() as conn:
        return open_round_in(conn, current_plan_id(conn, database))


def list_rounds(database: Database) -> list[tuple[Round, int, int]]:
    """Every round, newest first, with how many leads it asked and how many have returned."""
    i, r = T.round_item, T.round_return
    with database.read() as conn:
        plan_id = current_plan_id(conn, database)
        rounds = [_round(row) for row in conn.execute(_round_select(plan_id))]
        asked = dict(
            conn.execute(
                select(i.c.round_id, func.count(func.distinct(i.c.officer_id))).group_by(i.c.round_id)
            ).all()
        )
        returned = dict(
            conn.execute(
                select(r.c.round_id, func.count(func.distinct(r.c.officer_id))).group_by(r.c.round_id)
            ).all()
        )
    return [(x, asked.get(x.id, 0), returned.get(x.id, 0)) for x in rounds]


def end_round(database: Database, *, at: datetime | None = None) -> RoundDetail:
    """End the open round: its returns can no longer be collected."""
    with database.write() as conn:
        plan_id = current_plan_id(conn, database)
        current = open_round_in(conn, plan_id)
        if current is None:
            raise NotFoundError(
                "no update round is open: start one with plantui round start --due YYYY-MM-DD"
            )
        moment = at or utcnow()
        conn.execute(update(T.update_round).where(T.update_round.c.id == current.id).values(ended_at=moment))
        ended = Round(*(getattr(current, name) for name in _ROUND_COLUMNS[:-1]), moment)
        return _detail(conn, plan_id, ended)


def describe(chosen: Round) -> str:
    """`round 3 over theme:4, issued 2022-11-01, due 2022-11-15`, user text made visible."""
    return (
        f"round {chosen.id} over {visible(chosen.scope)}, issued {chosen.issued_on.isoformat()}, "
        f"due {chosen.due.isoformat()}"
    )


@dataclass(frozen=True, slots=True)
class LeadSummary:
    """A lead as the Leads screen shows them: their actions' statuses, last update, what they owe."""

    lead: Lead
    counts: dict[str, int]  # status code -> actions
    last_update: datetime | None  # naive UTC: the newest change or note to any of their actions
    owing: int  # actions asked about in the open round with no return from them yet


def lead_summaries(database: Database) -> list[LeadSummary]:
    """Every lead of the plan, by role, with status counts, last update and what they owe."""
    with database.read() as conn:
        plan_id = current_plan_id(conn, database)
        leads = plan_leads(conn, plan_id)
        rows = actions_of_plan(conn, plan_id)
        current = open_round_in(conn, plan_id)
        detail = _detail(conn, plan_id, current) if current is not None else None
    counts: dict[str, dict[str, int]] = {}
    latest: dict[str, datetime] = {}
    for row in rows:
        for role in dict.fromkeys(row.leads):
            by_status = counts.setdefault(role, {})
            by_status[row.status] = by_status.get(row.status, 0) + 1
            if row.updated_at is not None and (role not in latest or row.updated_at > latest[role]):
                latest[role] = row.updated_at
    owing = {
        request.lead.id: len(request.actions)
        for request in (detail.requests if detail is not None else ())
        if not request.returns
    }
    return [
        LeadSummary(lead, counts.get(lead.role, {}), latest.get(lead.role), owing.get(lead.id, 0))
        for lead in leads
    ]


def owing_refs(database: Database) -> frozenset[str]:
    """The refs asked about in the open update round of leads who have returned nothing yet (what the
    filter term `owing` picks); none when no round is open."""
    with database.read() as conn:
        plan_id = current_plan_id(conn, database)
        current = open_round_in(conn, plan_id)
        return frozenset() if current is None else _owed_in(conn, current.id)


def _owed_in(conn: Connection, round_id: int) -> frozenset[str]:
    """The refs round `round_id` asked about of leads who returned nothing for it."""
    i, r = T.round_item, T.round_return
    returned = select(r.c.officer_id).where(r.c.round_id == round_id)
    return frozenset(
        conn.execute(
            select(T.action.c.ref)
            .join(i, i.c.action_id == T.action.c.id)
            .where(i.c.round_id == round_id, i.c.officer_id.not_in(returned))
        ).scalars()
    )


def _scoped(conn: Connection, plan_id: int, chosen: Scope, today: date) -> list[ActionRow]:
    """The actions a new round's scope covers. A new round starts only when none is open, so in its
    scope `owing` means what the newest round, now ended, is still owed: `filter:owing` asks again
    the leads who did not return, about the actions they did not return (a chase round)."""
    rows = actions_of_plan(conn, plan_id)
    wanted = chosen.filter()
    if chosen.kind != "filter" or not wanted.needs_owed:
        return chosen.selects(rows, today)
    newest = conn.execute(_round_select(plan_id).limit(1)).one_or_none()
    if newest is None:
        raise InputError(
            f"scope {chosen.text}: owing means what the last update round is still owed, "
            "and there has been no round yet"
        )
    last = _round(newest)
    owed = _owed_in(conn, last.id)
    if not owed:
        raise InputError(
            f"scope {chosen.text}: every lead asked in update round {last.id} returned, so nothing is owed"
        )
    return wanted.with_owed(owed).apply(rows, today)
