"""The update rounds' part of a sync, and the rule that leaves one meeting and one round open.

Update rounds are not in the plan's document (`plans.write_copy` leaves them out), so
`replicas.checkout` copies them with `read_rounds`/`merge_rounds`, and each sync carries them both
ways (`carry_up` inside the upstream's transaction, `carry_down` in the replica's):
- a round is named by its `token` in every store; one a side lacks arrives whole, its items naming
  the lead by role and the action by ref;
- a return is named by (token, digest), and arrives with the updates it held for review. Ids are each
  store's own, so the undo step a return made is carried as the uid of the step's first entry, and
  `return_steps`/`restore_return_steps` keep it pointing there when a replica's sync puts its history
  in the upstream's order with new ids (`replicas._rewrite_tail`);
- an end recorded on one side is taken by the other. Where both sides differ (an end, or the same
  file collected on both sides offline, each making its own step), the upstream's stands.

plantui keeps at most one meeting and one round open in a plan, but two copies offline can each open
one. After the upstream has taken a replica's, every meeting (and every round) still open but the
one started last (ties: the greater uid, or token) is ended at the moment that one started: the same
rule on the same rows wherever it runs, carried down like any other end. A meeting ended this way
keeps its changes (they name it); the sync's result says how many were ended.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from plantui.domain.errors import StoreError
from plantui.domain.wording import plural
from plantui.store import tables as T
from plantui.store.plans import officer_ids
from plantui.store.sync_rows import action_ids_by_ref, ids_of

# --- a return's step, kept through the replica's rewrite ------------------------------------------------


def return_steps(conn: Connection, plan_id: int) -> dict[int, str]:
    """The plan's returns that made a step: return id -> the uid of the step's first entry."""
    r, u, h = T.round_return, T.update_round, T.history
    return dict(
        conn.execute(
            select(r.c.id, h.c.uid)
            .join(u, u.c.id == r.c.round_id)
            .join(h, h.c.id == r.c.step_id)
            .where(u.c.plan_id == plan_id)
        ).all()
    )


def restore_return_steps(conn: Connection, steps: dict[int, str]) -> None:
    """Point each return at its step's first entry again, found by uid (`return_steps` read them)."""
    if not steps:
        return
    ids = ids_of(conn, T.history, steps.values())
    r = T.round_return
    conn.execute(
        update(r).where(r.c.id == bindparam("row_id")).values(step_id=bindparam("step")),
        [{"row_id": return_id, "step": ids.get(uid)} for return_id, uid in steps.items()],
    )


# --- rounds as every copy knows them --------------------------------------------------------------------

Item = tuple[str, str, str, str]  # (lead's role, action's ref, status as issued, milestone as issued)
HeldReview = tuple[str, str, str, str, str, str]  # (ref, field, issued, found, proposed, note)


@dataclass(frozen=True, slots=True)
class CarriedReturn:
    token: str
    digest: str
    role: str
    file_name: str
    collected_at: datetime
    collected_by: str
    step: str | None  # the uid of the first entry of the step it made (None: it changed nothing)
    reviews: tuple[HeldReview, ...]


@dataclass(frozen=True, slots=True)
class CarriedRound:
    token: str
    scope: str
    include_complete: bool
    issued_on: date
    due: date
    started_at: datetime
    started_by: str
    ended_at: datetime | None
    items: tuple[Item, ...] | None  # None: left out, the other side holds the round already


def read_rounds(
    conn: Connection,
    plan_id: int,
    *,
    items_held: Container[str] = (),
    returns_held: Container[tuple[str, str]] = (),
) -> tuple[list[CarriedRound], list[CarriedReturn]]:
    """The plan's rounds and returns, oldest first; without the items of the rounds whose tokens are in
    `items_held`, nor the returns whose (token, digest) are in `returns_held` (the other side's)."""
    u, i, o, a = T.update_round, T.round_item, T.officer, T.action
    heads = conn.execute(
        select(u.c.id, u.c.token, u.c.scope, u.c.include_complete, u.c.issued_on, u.c.due,
               u.c.started_at, u.c.started_by, u.c.ended_at)
        .where(u.c.plan_id == plan_id)
        .order_by(u.c.id)
    ).all()  # fmt: skip
    wanted = [row.id for row in heads if row.token not in items_held]
    items: dict[int, list[Item]] = {}
    if wanted:
        for round_id, *item in conn.execute(
            select(i.c.round_id, o.c.name, a.c.ref, i.c.status, i.c.milestone)
            .join(o, o.c.id == i.c.officer_id)
            .join(a, a.c.id == i.c.action_id)
            .where(i.c.round_id.in_(wanted))
            .order_by(i.c.round_id, o.c.name, a.c.ref)
        ):
            items.setdefault(round_id, []).append(tuple(item))
    rounds = [
        CarriedRound(
            row.token, row.scope, bool(row.include_complete), row.issued_on, row.due, row.started_at,
            row.started_by, row.ended_at,
            tuple(items.get(row.id, ())) if row.token not in items_held else None,
        )
        for row in heads
    ]  # fmt: skip
    return rounds, _read_returns(conn, plan_id, returns_held)


def _read_returns(
    conn: Connection, plan_id: int, held: Container[tuple[str, str]] = ()
) -> list[CarriedReturn]:
    u, r, o, h, v, a = T.update_round, T.round_return, T.officer, T.history, T.round_review, T.action
    query = (
        select(r.c.id, u.c.token, r.c.digest, o.c.name, r.c.file_name, r.c.collected_at,
               r.c.collected_by, h.c.uid)
        .join(u, u.c.id == r.c.round_id)
        .join(o, o.c.id == r.c.officer_id)
        .outerjoin(h, h.c.id == r.c.step_id)
        .where(u.c.plan_id == plan_id)
        .order_by(r.c.id)
    )  # fmt: skip
    rows = [row for row in conn.execute(query) if (row.token, row.digest) not in held]
    reviews: dict[int, list[HeldReview]] = {}
    if rows:
        for return_id, *review in conn.execute(
            select(v.c.return_id, a.c.ref, v.c.field, v.c.issued, v.c.found, v.c.proposed, v.c.note)
            .join(a, a.c.id == v.c.action_id)
            .join(r, r.c.id == v.c.return_id)
            .join(u, u.c.id == r.c.round_id)
            .where(u.c.plan_id == plan_id)
            .order_by(v.c.id)
        ):
            reviews.setdefault(return_id, []).append(tuple(review))
    return [CarriedReturn(*row[1:], tuple(reviews.get(row.id, ()))) for row in rows]


def held_rounds(conn: Connection, plan_id: int) -> tuple[set[str], set[tuple[str, str]]]:
    """The tokens of the plan's rounds, and the (token, digest) of its returns."""
    u, r = T.update_round, T.round_return
    tokens = set(conn.execute(select(u.c.token).where(u.c.plan_id == plan_id)).scalars())
    returns = {
        (token, digest)
        for token, digest in conn.execute(
            select(u.c.token, r.c.digest).join(u, u.c.id == r.c.round_id).where(u.c.plan_id == plan_id)
        )
    }
    return tokens, returns


# --- writing them on the other side ---------------------------------------------------------------------


def merge_rounds(
    conn: Connection,
    plan_id: int,
    rounds: Sequence[CarriedRound],
    returns: Sequence[CarriedReturn],
    where: str,
    *,
    theirs_stand: bool,
) -> int:
    """Add the rounds and returns this side lacks and take the ends the other side recorded; with
    `theirs_stand` (the replica, taking the upstream's), an end or a return both hold but differently
    becomes theirs. Returns how many rounds and returns were added."""
    u = T.update_round
    tokens = {chosen.token for chosen in rounds} | {given.token for given in returns}
    round_ids: dict[str, int] = {}
    ends: dict[str, datetime | None] = {}
    found = select(u.c.token, u.c.id, u.c.plan_id, u.c.ended_at).where(u.c.token.in_(sorted(tokens)))
    for row in conn.execute(found):
        if row.plan_id != plan_id:
            raise StoreError(f"update round {row.token} of another plan is in {where}; nothing was synced")
        round_ids[row.token], ends[row.token] = row.id, row.ended_at
    added = 0
    actions = action_ids_by_ref(conn, plan_id)
    roles = {item[0] for chosen in rounds for item in chosen.items or ()} | {g.role for g in returns}
    officers = officer_ids(conn, roles) if roles else {}
    for chosen in rounds:
        if chosen.token in round_ids:
            ended = ends[chosen.token]
            if chosen.ended_at is not None and ended != chosen.ended_at and (ended is None or theirs_stand):
                conn.execute(
                    update(u).where(u.c.id == round_ids[chosen.token]).values(ended_at=chosen.ended_at)
                )
            continue
        if chosen.items is None:
            raise StoreError(f"update round {chosen.token} is not in {where}; nothing was synced")
        round_id = conn.execute(
            insert(u).values(
                plan_id=plan_id,
                token=chosen.token,
                scope=chosen.scope,
                include_complete=chosen.include_complete,
                issued_on=chosen.issued_on,
                due=chosen.due,
                started_at=chosen.started_at,
                started_by=chosen.started_by,
                ended_at=chosen.ended_at,
            )
        ).inserted_primary_key[0]
        round_ids[chosen.token] = round_id
        if chosen.items:
            conn.execute(
                insert(T.round_item),
                [
                    {
                        "round_id": round_id,
                        "officer_id": officers[role],
                        "action_id": _action(actions, ref, where),
                        "status": status,
                        "milestone": milestone,
                    }
                    for role, ref, status, milestone in chosen.items
                ],
            )
        added += 1
    return added + _merge_returns(conn, plan_id, returns, round_ids, officers, actions, where, theirs_stand)


def _action(actions: dict[str, int], ref: str, where: str) -> int:
    action_id = actions.get(ref)
    if action_id is None:
        raise StoreError(
            f"action {ref} of an update round is not in {where}: it was added or removed on one side "
            "only; nothing was synced"
        )
    return action_id


def _merge_returns(
    conn: Connection,
    plan_id: int,
    returns: Sequence[CarriedReturn],
    round_ids: dict[str, int],
    officers: dict[str, int],
    actions: dict[str, int],
    where: str,
    theirs_stand: bool,
) -> int:
    if not returns:
        return 0
    r, v = T.round_return, T.round_review
    mine = {(given.token, given.digest): given for given in _read_returns(conn, plan_id)}
    ids = {
        (token, digest): return_id
        for token, digest, return_id in conn.execute(
            select(T.update_round.c.token, r.c.digest, r.c.id)
            .join(T.update_round, T.update_round.c.id == r.c.round_id)
            .where(T.update_round.c.plan_id == plan_id)
        )
    }
    steps = ids_of(conn, T.history, {given.step for given in returns if given.step is not None})
    added = 0
    for given in returns:
        key = (given.token, given.digest)
        held = mine.get(key)
        if held == given or (held is not None and not theirs_stand):
            continue
        if given.token not in round_ids:
            raise StoreError(f"update round {given.token} is not in {where}; nothing was synced")
        step_id = None
        if given.step is not None:
            step_id = steps.get(given.step)
            if step_id is None:
                raise StoreError(
                    f"a return to update round {given.token} names history entry {given.step}, which "
                    f"{where} does not hold; nothing was synced"
                )
        values = {
            "officer_id": officers[given.role],
            "file_name": given.file_name,
            "collected_at": given.collected_at,
            "collected_by": given.collected_by,
            "step_id": step_id,
        }
        if held is None:
            return_id = conn.execute(
                insert(r).values(round_id=round_ids[given.token], digest=given.digest, **values)
            ).inserted_primary_key[0]
            added += 1
        else:  # the same file collected on both sides: the upstream's return stands
            return_id = ids[key]
            conn.execute(update(r).where(r.c.id == return_id).values(**values))
            conn.execute(delete(v).where(v.c.return_id == return_id))
        if given.reviews:
            conn.execute(
                insert(v),
                [
                    {
                        "return_id": return_id,
                        "action_id": _action(actions, ref, where),
                        "field": field,
                        "issued": issued,
                        "found": found,
                        "proposed": proposed,
                        "note": note,
                    }
                    for ref, field, issued, found, proposed, note in given.reviews
                ],
            )
    return added


# --- at most one meeting and one round open -------------------------------------------------------------


def end_all_but_newest(conn: Connection, plan_id: int) -> tuple[set[str], set[str]]:
    """End every open meeting but the one started last, and every open round likewise, at the moment
    that one started; returns the uids of the meetings and the tokens of the rounds ended."""
    m, u = T.meeting, T.update_round
    return _end_older(conn, m, m.c.uid, plan_id), _end_older(conn, u, u.c.token, plan_id)


def _end_older(conn: Connection, table, name, plan_id: int) -> set[str]:
    rows = conn.execute(
        select(table.c.id, table.c.started_at, name).where(
            table.c.plan_id == plan_id, table.c.ended_at.is_(None)
        )
    ).all()
    if len(rows) < 2:
        return set()
    newest = max(rows, key=lambda row: (row[1], row[2]))  # sorted here: the same on every database
    older = [row for row in rows if row.id != newest.id]
    conn.execute(
        update(table).where(table.c.id.in_([row.id for row in older])).values(ended_at=newest.started_at)
    )
    return {row[2] for row in older}


def _open_names(conn: Connection, plan_id: int) -> tuple[set[str], set[str]]:
    """The uids of the open meetings and the tokens of the open rounds."""
    m, u = T.meeting, T.update_round
    meetings = conn.execute(select(m.c.uid).where(m.c.plan_id == plan_id, m.c.ended_at.is_(None)))
    rounds = conn.execute(select(u.c.token).where(u.c.plan_id == plan_id, u.c.ended_at.is_(None)))
    return set(meetings.scalars()), set(rounds.scalars())


# --- the two halves of a sync -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoundsCarried:
    """What `carry_up` did on the upstream, and what it read there for the replica."""

    added: int  # rounds and returns the upstream took from the replica
    # Meetings (and rounds) left open on both sides that the sync ends: those the rule ends on the
    # upstream now, and those open on the replica that it ended there before (the replica takes that).
    ended_meetings: int
    ended_rounds: int
    rounds: list[CarriedRound]  # the upstream's, whole where the replica lacks them
    returns: list[CarriedReturn]  # every return of the upstream
    meeting_ends: dict[str, datetime]  # each ended meeting's end on the upstream, by uid
    to_add: int  # of those rounds and returns, how many the replica lacks


def carry_up(
    local: Connection, local_plan: int, remote: Connection, remote_plan: int, where: str
) -> RoundsCarried:
    """On the upstream, with the replica's transaction held and its meetings and entries already in:
    take the replica's rounds and returns, end all but the newest open meeting and round, and read
    what the replica is to take."""
    meetings_open_here, rounds_open_here = _open_names(local, local_plan)
    tokens_there, returns_there = held_rounds(remote, remote_plan)
    rounds, returns = read_rounds(local, local_plan, items_held=tokens_there, returns_held=returns_there)
    added = merge_rounds(remote, remote_plan, rounds, returns, where, theirs_stand=False)
    ended_meetings, ended_rounds = end_all_but_newest(remote, remote_plan)
    tokens_here, returns_here = held_rounds(local, local_plan)
    rounds_down, returns_down = read_rounds(remote, remote_plan, items_held=tokens_here)
    m = T.meeting
    meetings = remote.execute(select(m.c.uid, m.c.started_at, m.c.ended_at).where(m.c.plan_id == remote_plan))
    starts, ends = set(), {}
    for uid, started_at, ended_at in meetings:
        starts.add(started_at)
        if ended_at is not None:
            ends[uid] = ended_at
    to_add = sum(1 for chosen in rounds_down if chosen.token not in tokens_here) + sum(
        1 for given in returns_down if (given.token, given.digest) not in returns_here
    )
    # And those open on the replica that the rule ended on the upstream, in another replica's sync (an
    # end at the moment another began: one ended by hand is not the sync's doing).
    ended_meetings |= {uid for uid in meetings_open_here if ends.get(uid) in starts}
    round_starts = {chosen.started_at for chosen in rounds_down}
    ended_rounds |= {
        chosen.token
        for chosen in rounds_down
        if chosen.token in rounds_open_here and chosen.ended_at in round_starts
    }
    return RoundsCarried(
        added, len(ended_meetings), len(ended_rounds), rounds_down, returns_down, ends, to_add
    )


def carry_down(local: Connection, local_plan: int, carried: RoundsCarried, where: str) -> None:
    """On the replica, its meetings and history already the upstream's: take the upstream's rounds,
    returns and meeting ends (the upstream's stand where the two differ)."""
    merge_rounds(local, local_plan, carried.rounds, carried.returns, where, theirs_stand=True)
    m = T.meeting
    differing = [
        {"row_id": row_id, "end": carried.meeting_ends[uid]}
        for row_id, uid, ended_at in local.execute(
            select(m.c.id, m.c.uid, m.c.ended_at).where(m.c.plan_id == local_plan)
        )
        if uid in carried.meeting_ends and ended_at != carried.meeting_ends[uid]
    ]
    if differing:
        local.execute(
            update(m).where(m.c.id == bindparam("row_id")).values(ended_at=bindparam("end")), differing
        )
    end_all_but_newest(local, local_plan)  # as on the upstream: open there means open here


def ended_words(meetings: int, rounds: int, *, dry_run: bool = False) -> str:
    """What a sync says of the meetings and rounds it ended (`plantui sync`, the workbench): "" for
    none, else `1 meeting and 1 update round left open on both sides were ended: ...`."""
    named = ((meetings, "meeting"), (rounds, "update round"))
    parts = [plural(count, noun) for count, noun in named if count]
    if not parts:
        return ""
    verb = "would be" if dry_run else "was" if meetings + rounds == 1 else "were"
    last = "the one started last of each" if len(parts) == 2 else "the one started last"
    return f"{' and '.join(parts)} left open on both sides {verb} ended: {last} stays open"
