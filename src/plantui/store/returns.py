"""Collecting a return: a lead's updates applied as one change, or held for review.

`collect_return` takes what one return file asks for (read by `plantui.io.rounds.returns`) and, in one
write transaction (`store.changes.change_step`, so one undo step), checks it against the round and
applies it through the change policy, authored "<person or role> via return":
- a field the return changes is applied when the action still holds what was issued; when someone
  changed it since, it is not applied but kept for review (`round_review`), never lost and never
  overwriting that change; when it already holds what the return asks, nothing changes;
- commentary is recorded as a note (notes conflict with nothing), unless it is already the action's
  latest note (a file saved again and sent twice adds nothing);
- the file is recorded (`round_return`) with its digest: collecting the same file again changes
  nothing.
Problems (a file from another plan or round, an ended round, a ref the lead was not asked about) are
found before anything is written; `dry_run` reports what would happen and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, insert, select

from plantui.domain.errors import InputError
from plantui.domain.refs import normalise_ref
from plantui.store import tables as T
from plantui.store.changes import Edit, change_step
from plantui.store.clock import utcnow
from plantui.store.database import Database
from plantui.store.leads import Lead
from plantui.store.plans import current_plan_id
from plantui.store.queries import action_by_ref
from plantui.store.rounds import Collected, Review, Round, round_by_token

VIA = "via return"


@dataclass(frozen=True, slots=True)
class ReturnUpdate:
    """What a return asks for one action (None or "": left blank)."""

    ref: str
    status: str | None
    milestone: str | None
    note: str
    place: str  # where it was read, for messages ("file.xlsx: sheet 'X': row 7")


@dataclass(frozen=True, slots=True)
class Applied:
    ref: str
    fields: tuple[tuple[str, str, str], ...]  # (field, from, to) changed
    note: str  # the note recorded, if any


@dataclass
class CollectResult:
    file_name: str
    round: Round
    lead: Lead
    author: str
    already: Collected | None = None  # the same file, collected before: nothing was done
    applied: list[Applied] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # refs whose return changed nothing
    step_id: int | None = None


@dataclass(frozen=True, slots=True)
class _Issued:
    action_id: int
    status: str
    milestone: str


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _check(
    conn: Connection, database: Database, token: str, officer_id: int, where: str, updates
) -> tuple[Round, Lead, dict[str, _Issued]]:
    found = round_by_token(conn, token)
    plan_id = current_plan_id(conn, database)
    if found is None or found[0] != plan_id:
        raise InputError(f"{where}: a request of another plan or store: its round is not one of this plan's")
    chosen = found[1]
    if not chosen.is_open:
        raise InputError(
            f"{where}: a return for update round {chosen.id}, which has ended: nothing collected"
        )
    i, a, o = T.round_item, T.action, T.officer
    issued = {
        ref: _Issued(action_id, status, milestone)
        for ref, action_id, status, milestone in conn.execute(
            select(a.c.ref, a.c.id, i.c.status, i.c.milestone)
            .join(a, a.c.id == i.c.action_id)
            .where(i.c.round_id == chosen.id, i.c.officer_id == officer_id)
        )
    }
    person = conn.execute(select(o.c.name, o.c.person, o.c.email).where(o.c.id == officer_id)).one_or_none()
    if person is None or not issued:
        raise InputError(f"{where}: its lead was not asked for anything in update round {chosen.id}")
    lead = Lead(officer_id, *person, len(issued))  # `actions`: those asked about in this round
    problems = [
        f"{update.place}: {update.ref} is not one of the actions {lead.role!r} was asked about in "
        f"update round {chosen.id}"
        for update in updates
        if normalise_ref(update.ref) not in issued
    ]
    if problems:
        raise InputError("\n".join(problems))
    return chosen, lead, issued


def _lead_of(conn: Connection, officer_id: int, role: str | None) -> int:
    """The lead a request was written to: by its role where the request names one this store knows,
    else by its number. A number is one store's own: a request written on a replica's upstream and
    collected on the replica (or the other way round) names the lead by a number the other store may
    give someone else."""
    if role:
        found = conn.execute(select(T.officer.c.id).where(T.officer.c.name == role)).scalar()
        if found is not None:
            return found
    return officer_id


def check_return(
    database: Database, token: str, officer_id: int, where: str, updates, role: str | None = None
) -> None:
    """Everything `collect_return` refuses, found without writing (for checking every file first)."""
    with database.read() as conn:
        _check(conn, database, token, _lead_of(conn, officer_id, role), where, updates)


def collect_return(
    database: Database,
    *,
    token: str,
    officer_id: int,
    digest: str,
    file_name: str,
    where: str,
    updates: tuple[ReturnUpdate, ...],
    collected_by: str,
    dry_run: bool = False,
    at: datetime | None = None,
    collected_at: datetime | None = None,
    role: str | None = None,
) -> CollectResult:
    """Apply one return as one step (see the module's docstring); with `dry_run`, only say what would be.

    `at` stamps the step's history rows (now when None). `collected_at` is when the return counts as
    collected, which decides whether it came by the round's due day: the CLI gives the moment as
    `--today` sees it, as the round's issue day is `--today`'s; `at` (or now) when None. `role` is the
    lead's role as the request names it (see `_lead_of`)."""
    with database.read() as conn:
        officer_id = _lead_of(conn, officer_id, role)
        _, lead, _ = _check(conn, database, token, officer_id, where, updates)
    author = f"{lead.name} {VIA}"
    if dry_run:
        with database.read() as conn:
            return _collect(
                conn, database, None, token, officer_id, digest, file_name, where, updates, author
            )
    with change_step(database, author=author, at=at) as writer:
        result = _collect(
            writer.conn, database, writer, token, officer_id, digest, file_name, where, updates, author
        )
        if result.already is None:
            _record(writer.conn, result, digest, collected_by, writer.step_id, collected_at or at)
        return result


def _collect(
    conn, database, writer, token, officer_id, digest, file_name, where, updates, author
) -> CollectResult:
    chosen, lead, issued = _check(conn, database, token, officer_id, where, updates)
    result = CollectResult(file_name, chosen, lead, author)
    r = T.round_return
    before = conn.execute(
        select(r.c.id, r.c.file_name, r.c.collected_at, r.c.collected_by, r.c.step_id).where(
            r.c.round_id == chosen.id, r.c.digest == digest
        )
    ).one_or_none()
    if before is not None:
        result.already = Collected(*before)
        return result
    for update in updates:
        ref = normalise_ref(update.ref)
        item = issued[ref]
        action = action_by_ref(conn, database, ref)
        status = milestone = None
        changed: list[tuple[str, str, str]] = []
        if update.status is not None and update.status != item.status:
            if action.status == item.status:
                status = update.status
                changed.append(("status", action.status, update.status))
            elif action.status != update.status:
                result.reviews.append(
                    Review(
                        ref,
                        "status",
                        item.status,
                        action.status,
                        update.status,
                        update.note,
                        lead.role,
                        file_name,
                    )
                )
        if update.milestone and not _same(update.milestone, item.milestone):
            if _same(action.milestone, item.milestone):
                milestone = update.milestone
                changed.append(("milestone", action.milestone, update.milestone))
            elif not _same(action.milestone, update.milestone):
                result.reviews.append(
                    Review(
                        ref, "milestone", item.milestone, action.milestone, update.milestone, update.note,
                        lead.role, file_name,
                    )
                )  # fmt: skip
        note = update.note if update.note and not _same(update.note, action.last_note) else ""
        if not (changed or note):
            result.unchanged.append(ref)
            continue
        result.applied.append(Applied(ref, tuple(changed), note))
        if writer is not None:
            writer.edit(
                Edit(
                    ref,
                    status=status,
                    milestone=milestone,
                    note=note,
                    expected_status=item.status if status is not None else None,
                    expected_milestone=item.milestone if milestone is not None else None,
                )
            )
    return result


def _record(conn: Connection, result: CollectResult, digest: str, collected_by: str, step_id, at) -> None:
    return_id = conn.execute(
        insert(T.round_return).values(
            round_id=result.round.id,
            officer_id=result.lead.id,
            file_name=result.file_name,
            digest=digest,
            collected_at=at or utcnow(),
            collected_by=collected_by,
            step_id=step_id,
        )
    ).inserted_primary_key[0]
    result.step_id = step_id
    ids = dict(
        conn.execute(
            select(T.action.c.ref, T.action.c.id).where(
                T.action.c.ref.in_([review.ref for review in result.reviews]),
                T.action.c.plan_id == current_plan_id(conn),
            )
        ).all()
    )
    if result.reviews:
        conn.execute(
            insert(T.round_review),
            [
                {
                    "return_id": return_id,
                    "action_id": ids[review.ref],
                    "field": review.field,
                    "issued": review.issued,
                    "found": review.found,
                    "proposed": review.proposed,
                    "note": review.note,
                }
                for review in result.reviews
            ],
        )
